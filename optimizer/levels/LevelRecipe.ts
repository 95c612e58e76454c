import type { ImportanceName } from "../approx/importance.ts";

/**
 * How a level set is made: the pruning schedule and the retraining recipe
 * replayed after every step (learning-rate rewinding). Part of the level
 * directory's content hash, so a changed recipe never reuses stale levels.
 */
export interface LevelRecipe {
  method: "prune";
  /** Pruning steps = levels (level 0 is the original). */
  steps: number;
  /** Fraction of the remaining channels of every prunable group removed per step, in (0, 1). */
  fraction: number;
  /**
   * Fewest channels a pruned group keeps (see `PruneChannelsOptions.minChannels`);
   * absent means 1, and absent keeps the content hash of recipes written before it.
   */
  minChannels?: number;
  /**
   * Multiple that kept channel counts are rounded to (see `PruneChannelsOptions.roundTo`);
   * absent means 1, and absent keeps the content hash of recipes written before it.
   */
  roundTo?: number;
  /**
   * Channel ranking criterion (see `IMPORTANCE_BY_NAME`); absent means `"l1"`,
   * and absent keeps the content hash of recipes written before it.
   */
  importance?: ImportanceName;
  /** Retraining epochs after each step. */
  epochs: number;
  /**
   * Keep the retraining epoch with the best validation loss instead of the
   * last, as a model trained with `keepBest` keeps its best epoch: the level
   * then meets its original on equal terms (both picked on validation; the
   * test split stays unbiased). Absent means the last epoch, and absent keeps
   * the content hash of recipes written before it.
   */
  keepBestEpoch?: boolean;
  /** Samples retrained on per level: every k-th training sample (all when ≥ the training set). */
  trainSamples: number;
  batchSize: number;
  /** Peak learning rate of the rewound cosine schedule (Adam). */
  lr: number;
  /** Warm-up steps of the rewound schedule. */
  warmupSteps: number;
  /** Final learning rate of the rewound schedule. */
  minLr: number;
  weightDecay: number;
  /** A loss of `lossRegistry` by name, with its settings (e.g. `{ name: "bce", posWeight: 4 }`). */
  loss: { name: string; posWeight?: number };
  augment: { horizontalFlip: number; colorJitter: { brightness: number; contrast: number; saturation: number } };
  /** Seed of shuffling, augmentation and dropout; level k uses `seed + k`. */
  seed: number;
}
