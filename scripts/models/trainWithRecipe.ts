import {
  adam,
  bceWithLogitsLoss,
  colorJitter,
  CosineSchedule,
  fit,
  horizontalFlip,
  l1Loss,
  TrainingSession,
  type Model,
  type TensorDataset,
} from "../../optimizer/index.ts";
import type { TrainingRecipe } from "./recipes.ts";

/** A model trained by {@link trainWithRecipe}, with what its card records. */
export interface Trained {
  model: Model;
  recipe: TrainingRecipe;
  bestEpoch: number;
  seconds: number;
  history: { epoch: number; trainLoss: number; validation?: number }[];
}

/**
 * Trains `model` with `recipe` on one onnxruntime thread (Adam, cosine
 * schedule, flip + colour-jitter augmentation, the weights of the best
 * validation epoch kept), checkpointing into `checkpointDir` after every
 * epoch and every `everySteps` steps so a killed run resumes bit for bit.
 */
export async function trainWithRecipe(
  name: string,
  model: Model,
  recipe: TrainingRecipe,
  data: { train: TensorDataset; validation: TensorDataset },
  checkpointDir: string,
  everySteps?: number,
): Promise<Trained> {
  const loss = recipe.loss.kind === "l1" ? l1Loss() : bceWithLogitsLoss(recipe.loss.posWeight);
  const session = await TrainingSession.create(model, {
    loss,
    optimizer: adam({ weightDecay: recipe.optimizer.weightDecay }),
    batchSize: recipe.batchSize,
    seed: recipe.seed,
  });
  const steps = recipe.epochs * Math.ceil(data.train.size / recipe.batchSize);
  const t0 = performance.now();
  try {
    const result = await fit(session, {
      train: data.train,
      validation: data.validation,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      schedule: new CosineSchedule({
        lr: recipe.optimizer.lr,
        totalSteps: steps,
        warmupSteps: recipe.schedule.warmupSteps,
        minLr: recipe.schedule.minLr,
      }),
      seed: recipe.seed,
      augment: [horizontalFlip({ p: recipe.augment.horizontalFlip }), colorJitter(recipe.augment.colorJitter)],
      earlyStopping: { patience: recipe.epochs, restoreBest: true },
      checkpoint: { dir: checkpointDir, everySteps },
      onEpoch: (e) =>
        console.log(
          `${name}: epoch ${e.epoch + 1}/${recipe.epochs} train loss ${e.trainLoss.toFixed(4)} val loss ${e.validation?.toFixed(4)} lr ${e.lr.toExponential(2)} ` +
            `(${((performance.now() - t0) / 1000).toFixed(0)} s)`,
        ),
    });
    return {
      model: result.model,
      recipe,
      bestEpoch: result.bestEpoch,
      seconds: (performance.now() - t0) / 1000,
      history: result.history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, validation: h.validation })),
    };
  } finally {
    await session.release();
  }
}
