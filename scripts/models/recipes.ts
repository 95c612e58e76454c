import type { DatasetKind } from "../../sim/index.ts";

/** How a dataset for the shipped models is generated (see `generateDataset`). */
export interface DatasetRecipe {
  kind: DatasetKind;
  worlds: number;
  perWorld: number;
  seed: number;
  width: number;
  height: number;
}

/** How one shipped model is trained (recorded in its model card). */
export interface TrainingRecipe {
  epochs: number;
  batchSize: number;
  optimizer: { kind: "adam"; lr: number; weightDecay: number };
  schedule: { kind: "cosine"; warmupSteps: number; minLr: number };
  loss: { kind: "l1" } | { kind: "bce-with-logits"; posWeight: number };
  augment: { horizontalFlip: number; colorJitter: { brightness: number; contrast: number; saturation: number } };
  /** Seeds of weight initialisation and of shuffling/augmentation. */
  seed: number;
  /** The weights of the epoch with the best validation loss are kept. */
  keepBest: true;
}

/** The shipped LaneNet's mask logits are at 1/2 of its input resolution (64×32 at 128×64). */
export const SHIPPED_LANE_MASK_FACTOR = 2;

/** Full-size recipes (`npm run train:models`) and `--quick` ones (a first end-to-end model in minutes). */
export const DATASETS: Record<"full" | "quick", Record<"cropfollow" | "gem", DatasetRecipe>> = {
  full: {
    cropfollow: { kind: "cropfollow", worlds: 160, perWorld: 100, seed: 1, width: 64, height: 48 },
    gem: { kind: "gem", worlds: 80, perWorld: 60, seed: 2, width: 128, height: 64 },
  },
  quick: {
    cropfollow: { kind: "cropfollow", worlds: 30, perWorld: 80, seed: 1, width: 64, height: 48 },
    gem: { kind: "gem", worlds: 20, perWorld: 60, seed: 2, width: 128, height: 64 },
  },
};

/**
 * The augmentation the row and lane networks train with, shipped and zoo alike: half the frames mirrored
 * (labels follow the dataset's flip map), colours jittered.
 */
export const AUGMENTATION: TrainingRecipe["augment"] = {
  horizontalFlip: 0.5,
  colorJitter: { brightness: 0.25, contrast: 0.25, saturation: 0.25 },
};

/** Heading and distance train alike (L1 on one label column); only the seed differs. */
function regressionRecipe(seed: number): TrainingRecipe {
  return {
    epochs: 10,
    batchSize: 32,
    optimizer: { kind: "adam", lr: 2e-3, weightDecay: 1e-4 },
    schedule: { kind: "cosine", warmupSteps: 100, minLr: 2e-5 },
    loss: { kind: "l1" },
    augment: AUGMENTATION,
    seed,
    keepBest: true,
  };
}

/** Per-model training recipes; `epochs` is scaled down by `--quick`. */
export const RECIPES: Record<"heading" | "distance" | "lanenet", TrainingRecipe> = {
  heading: regressionRecipe(11),
  distance: regressionRecipe(12),
  lanenet: {
    epochs: 12,
    batchSize: 16,
    optimizer: { kind: "adam", lr: 3e-3, weightDecay: 0 },
    schedule: { kind: "cosine", warmupSteps: 50, minLr: 3e-5 },
    loss: { kind: "bce-with-logits", posWeight: 4 },
    augment: AUGMENTATION,
    seed: 13,
    keepBest: true,
  },
};
