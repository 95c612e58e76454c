import type { DependencyGraph } from "./dependency/DependencyGraph.ts";
import type { PruningGroup } from "./dependency/PruningGroup.ts";

/**
 * A channel importance criterion: one score per group channel (higher =
 * more important; the lowest-scoring channels are pruned first).
 */
export type Importance = (group: PruningGroup, graph: DependencyGraph) => Float64Array;

/** Options of {@link magnitudeImportance}. */
export interface MagnitudeImportanceOptions {
  /**
   * Divide each member layer's channel norms by their mean over the layer's
   * channels before summing, so that every layer of a coupled group has an
   * equal say. The plain sum is ruled by the layer with the most weights per
   * channel, which behind a BatchNorm is a conv filter whose scale the norm
   * undoes: in the zoo's VGG LaneNet the last decoder group's 3×3 filters (L1
   * 21–34) drowned the mask classifier's 1×1 weights (0.27–1.1), so the channels
   * the classifier reads most were pruned first. @default false
   */
  layerBalanced?: boolean;
}

/**
 * Magnitude importance (Li et al. 2017 filter pruning; Torch-Pruning's
 * `MagnitudeImportance`): for each group channel, Σ|w|^p over every weight
 * that reads or writes it in every member layer — output filters, the
 * matching input slices of consumers (all H·W columns of a Gemm after a
 * Flatten), normalization scales.
 *
 * @param p the norm's exponent. @default 1 (L1)
 */
export function magnitudeImportance(p = 1, opts: MagnitudeImportanceOptions = {}): Importance {
  return (group, graph) => {
    const score = new Float64Array(group.size);
    for (const m of group.members) {
      const norms = m.node.rule?.weightNorms?.(graph.view(m.node), m.side, m.port, p);
      if (!norms) continue;
      const scale = opts.layerBalanced ? layerMeanInverse(norms) : 1;
      const slot = group.slots[m.slot];
      for (let j = 0; j < group.size; j++) {
        for (let k = slot.starts[j]; k < slot.starts[j + 1]; k++) score[j] += norms[slot.indices[k]] * scale;
      }
    }
    return score;
  };
}

function layerMeanInverse(norms: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < norms.length; i++) sum += norms[i];
  return sum > 0 ? norms.length / sum : 0;
}

/** L1-norm importance, the default criterion of {@link StructuredPruner}. */
export const l1Importance: Importance = magnitudeImportance(1);

/** L1-norm importance with every member layer weighed equally (see {@link MagnitudeImportanceOptions.layerBalanced}). */
export const balancedL1Importance: Importance = magnitudeImportance(1, { layerBalanced: true });

/** The importance criteria a level recipe or the CLI names. */
export const IMPORTANCE_BY_NAME = {
  l1: l1Importance,
  "l1-balanced": balancedL1Importance,
} as const satisfies Record<string, Importance>;

/** A criterion of {@link IMPORTANCE_BY_NAME}. */
export type ImportanceName = keyof typeof IMPORTANCE_BY_NAME;

/** The names of {@link IMPORTANCE_BY_NAME}, for schemas and CLI choices. */
export const IMPORTANCE_NAMES = Object.keys(IMPORTANCE_BY_NAME) as [ImportanceName, ...ImportanceName[]];
