import { check } from "../../common/index.ts";
import type { Model } from "../onnx/ir.ts";
import { modelOf, type ApproxLevel, type Approximator, type ModelSource } from "./Approximator.ts";
import type { PruningRule } from "./dependency/PruningRule.ts";
import { finetune, type FinetuneRecipe } from "./finetune.ts";
import type { Importance } from "./importance.ts";
import { groupSizes, pruneChannels } from "./pruneChannels.ts";

/** Options of {@link StructuredPruner}. */
export interface StructuredPrunerOptions {
  /** Number of pruning steps (= levels). */
  nSteps: number;
  /**
   * Fraction of the remaining channels of each prunable layer removed per
   * step, in (0, 1): after step k a fraction 1 − (1 − pruneFraction)^k of the
   * original channels is gone.
   */
  pruneFraction: number;
  /** Channel ranking criterion. @default l1Importance */
  importance?: Importance;
  /** Pruning rules by op type, overriding the defaults. */
  rules?: Record<string, PruningRule>;
  /** Retrain after every step (learning-rate rewinding); omitted = no retraining. */
  finetune?: FinetuneRecipe;
  /** Receives each distinct warning about parts of the graph left unpruned. */
  onWarning?: (message: string) => void;
}

/**
 * Iterative structured (filter) pruning: each step removes the
 * least-important channels of every prunable dependency group — physically,
 * so the result is a smaller dense ONNX graph — then optionally retrains with
 * learning-rate rewinding. Every step's model is a level.
 *
 * @example
 * const pruner = new StructuredPruner({ nSteps: 5, pruneFraction: 0.2 });
 * for await (const { level, fraction, model } of pruner.levels(nn)) save(level, model);
 */
export class StructuredPruner implements Approximator {
  readonly name = "prune";
  readonly nSteps: number;
  private readonly opts: StructuredPrunerOptions;

  constructor(opts: StructuredPrunerOptions) {
    check(Number.isInteger(opts.nSteps) && opts.nSteps >= 1, "StructuredPruner.nSteps", () => `must be a positive integer, got ${opts.nSteps}`);
    check(
      Number.isFinite(opts.pruneFraction) && opts.pruneFraction > 0 && opts.pruneFraction < 1,
      "StructuredPruner.pruneFraction",
      () => `must be in (0, 1), got ${opts.pruneFraction}`,
    );
    this.nSteps = opts.nSteps;
    this.opts = opts;
  }

  /** Fraction of the original channels removed after `level` steps. */
  fractionAt(level: number): number {
    return 1 - (1 - this.opts.pruneFraction) ** level;
  }

  async *levels(nn: ModelSource): AsyncIterable<ApproxLevel> {
    const original = modelOf(nn);
    const originalSizes = groupSizes(original, this.opts.rules);
    const seen = new Set<string>();
    let model: Model = original;
    for (let level = 1; level <= this.nSteps; level++) {
      const fraction = this.fractionAt(level);
      const step = pruneChannels(model, fraction, { importance: this.opts.importance, rules: this.opts.rules, originalSizes });
      for (const w of step.warnings) {
        if (seen.has(w)) continue;
        seen.add(w);
        this.opts.onWarning?.(w);
      }
      model = step.model;
      if (this.opts.finetune) model = await finetune(model, this.opts.finetune);
      yield { level, fraction, model };
    }
  }
}
