import type { DependencyGraph } from "./dependency/DependencyGraph.ts";
import type { PruningGroup } from "./dependency/PruningGroup.ts";

/**
 * A channel importance criterion: one score per group channel (higher =
 * more important; the lowest-scoring channels are pruned first).
 */
export type Importance = (group: PruningGroup, graph: DependencyGraph) => Float64Array;

/**
 * Magnitude importance (Li et al. 2017 filter pruning; Torch-Pruning's
 * `MagnitudeImportance`): for each group channel, Σ|w|^p over every weight
 * that reads or writes it in every member layer — output filters, the
 * matching input slices of consumers (all H·W columns of a Gemm after a
 * Flatten), normalization scales.
 *
 * @param p the norm's exponent. @default 1 (L1)
 */
export function magnitudeImportance(p = 1): Importance {
  return (group, graph) => {
    const score = new Float64Array(group.size);
    for (const m of group.members) {
      const norms = m.node.rule?.weightNorms?.(graph.view(m.node), m.side, m.port, p);
      if (!norms) continue;
      const slot = group.slots[m.slot];
      for (let j = 0; j < group.size; j++) {
        for (let k = slot.starts[j]; k < slot.starts[j + 1]; k++) score[j] += norms[slot.indices[k]];
      }
    }
    return score;
  };
}

/** L1-norm importance, the default criterion of {@link StructuredPruner}. */
export const l1Importance: Importance = magnitudeImportance(1);
