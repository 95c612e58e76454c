import type { Augmentation } from "../data/augmentations/Augmentation.ts";
import type { TensorDataset } from "../data/TensorDataset.ts";
import type { Model } from "../onnx/ir.ts";
import { fit } from "../train/fit.ts";
import type { Loss } from "../train/losses/Loss.ts";
import type { Optimizer } from "../train/optimizers/Optimizer.ts";
import type { LrSchedule } from "../train/schedules/LrSchedule.ts";
import { TrainingSession } from "../train/TrainingSession.ts";

/**
 * How to retrain an approximated model: the original training recipe.
 * Fine-tuning uses learning-rate rewinding (Renda et al. 2020): keep the
 * approximated weights and replay `schedule` from step 0 for `epochs` epochs.
 */
export interface FinetuneRecipe {
  train: TensorDataset;
  validation?: TensorDataset;
  loss: Loss;
  optimizer: Optimizer;
  /** The original schedule, replayed from its start after every approximation step. */
  schedule: LrSchedule;
  batchSize: number;
  /** Epochs of retraining after each step. */
  epochs: number;
  /** @default 0 */
  seed?: number;
  augment?: Augmentation[];
}

/** Retrains `model` with `recipe` (learning-rate rewinding) and returns the retrained copy. */
export async function finetune(model: Model, recipe: FinetuneRecipe): Promise<Model> {
  const session = await TrainingSession.create(model, { loss: recipe.loss, optimizer: recipe.optimizer, seed: recipe.seed ?? 0 });
  try {
    const result = await fit(session, {
      train: recipe.train,
      validation: recipe.validation,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      schedule: recipe.schedule,
      seed: recipe.seed ?? 0,
      augment: recipe.augment,
    });
    return result.model;
  } finally {
    await session.release();
  }
}
