import { check } from "../../common/index.ts";
import type { Model } from "../onnx/ir.ts";
import { DependencyGraph } from "./dependency/DependencyGraph.ts";
import type { PruningGroup } from "./dependency/PruningGroup.ts";
import type { PruningRule } from "./dependency/PruningRule.ts";
import { l1Importance, type Importance } from "./importance.ts";

/** Options of {@link pruneChannels}. */
export interface PruneChannelsOptions {
  /** Channel ranking criterion. @default l1Importance */
  importance?: Importance;
  /** Pruning rules by op type, overriding the defaults. */
  rules?: Record<string, PruningRule>;
  /**
   * Group sizes of the original model by {@link PruningGroup.key}, so that
   * `fraction` is measured against the original channel counts when pruning
   * an already pruned model. @default the sizes in `model`
   */
  originalSizes?: ReadonlyMap<string, number>;
  /**
   * Prune graph outputs' channels too (the output shape changes), as Torch-Pruning does to every
   * layer not in its `ignored_layers`. @default false
   */
  pruneGraphOutputs?: boolean;
  /**
   * Fewest channels a group keeps (groups already smaller keep theirs). A
   * uniform ratio squeezes a network's thinnest layers to a handful of
   * channels, where one pruned channel can silence every path to the output
   * (a LaneNet decoder of 12 channels at 4 left went dead and never
   * recovered in retraining); Torch-Pruning users guard those layers with
   * `ignored_layers` or `round_to`. @default 1
   */
  minChannels?: number;
  /**
   * Round every group's kept channel count to the nearest multiple of this
   * (ties up; never above the group's current size nor below `minChannels`);
   * counts already below `roundTo` stay as they are. onnxruntime's CPU
   * convolutions run much faster on channel counts that fill whole SIMD
   * vectors: heading-resnet18 with 16 % of every group pruned ran at 0.86× the
   * original's speed with exact counts and at 1.04× rounded to 8, despite
   * 12 % more FLOPs. Tiny groups stay exact because growing them back to a
   * full vector costs more than it saves at the deepest levels (that variant
   * lost 40 % of the speed-up at 88 % pruned). Torch-Pruning's `round_to`,
   * which rounds up. @default 1
   */
  roundTo?: number;
}

/** The outcome of {@link pruneChannels}. */
export interface PruneChannelsResult {
  /** The pruned copy of the model. */
  model: Model;
  /** Prunable groups found, and how many of them lost channels. */
  groups: { prunable: number; pruned: number; frozen: number };
  /** Parts of the graph left unpruned, and why. */
  warnings: string[];
}

/**
 * One-shot structured pruning: every prunable channel group keeps
 * ⌊size₀·(1 − fraction)⌋ channels (at least `opts.minChannels`, rounded to a
 * multiple of `opts.roundTo`, at most its current size), where size₀ is its
 * original size; the lowest-importance group channels go. This is
 * Torch-Pruning's `pruning_ratio` with uniform per-layer ratio. Graph inputs'
 * channels are never removed, nor outputs' unless `opts.pruneGraphOutputs`.
 *
 * @param fraction fraction of each prunable group's original channels removed, in [0, 1).
 * @throws InputError if `fraction` is outside [0, 1).
 */
export function pruneChannels(model: Model, fraction: number, opts: PruneChannelsOptions = {}): PruneChannelsResult {
  check(Number.isFinite(fraction) && fraction >= 0 && fraction < 1, "fraction", () => `must be in [0, 1), got ${fraction}`);
  const minChannels = opts.minChannels ?? 1;
  check(Number.isInteger(minChannels) && minChannels >= 1, "minChannels", () => `must be a positive integer, got ${minChannels}`);
  const roundTo = opts.roundTo ?? 1;
  check(Number.isInteger(roundTo) && roundTo >= 1, "roundTo", () => `must be a positive integer, got ${roundTo}`);
  const dg = DependencyGraph.build(model, { rules: opts.rules, pruneGraphOutputs: opts.pruneGraphOutputs });
  const importance = opts.importance ?? l1Importance;
  const removals = new Map<PruningGroup, Int32Array>();
  let prunable = 0;
  let frozen = 0;
  for (const g of dg.groups()) {
    if (!g.prunable) {
      frozen++;
      continue;
    }
    prunable++;
    const original = opts.originalSizes?.get(g.key) ?? g.size;
    const target = Math.max(minChannels, Math.floor(original * (1 - fraction) + 1e-9));
    const rounded = target < roundTo ? target : Math.max(minChannels, Math.round(target / roundTo) * roundTo);
    const keep = Math.min(g.size, rounded);
    const n = g.size - keep;
    if (n <= 0) continue;
    const score = importance(g, dg);
    check(score.length === g.size, "importance", () => `returned ${score.length} scores for a group of ${g.size} channels`);
    const order = Array.from({ length: g.size }, (_, i) => i).sort((a, b) => score[a] - score[b] || a - b);
    removals.set(g, Int32Array.from(order.slice(0, n)));
  }
  const { model: pruned } = dg.prune(removals);
  return { model: pruned, groups: { prunable, pruned: removals.size, frozen }, warnings: [...dg.warnings] };
}

/** Sizes of the prunable groups of `model` by key (see {@link PruneChannelsOptions.originalSizes}). */
export function groupSizes(model: Model, rules?: Record<string, PruningRule>): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of DependencyGraph.build(model, { rules }).groups()) if (g.prunable) out.set(g.key, g.size);
  return out;
}
