import { AUGMENTATION, type DatasetRecipe, type TrainingRecipe } from "./recipes.ts";

/** The `lanepose` dataset the shipped lane-pose model trains on (`npm run train:lanepose`). */
export const LANE_POSE_DATASET: DatasetRecipe = { kind: "lanepose", worlds: 50, perWorld: 100, seed: 3, width: 128, height: 64 };

/**
 * How `models/lanepose.onnx` is trained. No horizontal flips: a mirrored
 * frame puts the yellow centre line on the right, a road the cart never
 * drives on; colour jitter covers the lighting.
 */
export const LANE_POSE_RECIPE: TrainingRecipe = {
  epochs: 12,
  batchSize: 32,
  optimizer: { kind: "adam", lr: 2e-3, weightDecay: 1e-4 },
  schedule: { kind: "cosine", warmupSteps: 100, minLr: 2e-5 },
  loss: { kind: "l1" },
  augment: { horizontalFlip: 0, colorJitter: AUGMENTATION.colorJitter },
  seed: 21,
  keepBest: true,
};
