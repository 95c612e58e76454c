import type { LevelRecipe } from "../../optimizer/index.ts";
import { ZOO_RECIPES, type ZooModel } from "./zoo.ts";

/**
 * The level recipe of a zoo model: 12 pruning steps — 16 % of the remaining
 * channels per step for CropFollow (FLOPs ≈ 0.84^24 → ≤ 5 % of the
 * original), 12 % for LaneNet (≈ 0.88^24 → ≤ 10 %) — each retrained for one
 * epoch on every k-th training sample with the model's own training recipe
 * (loss, Adam, peak learning rate, augmentation) replayed from its start:
 * learning-rate rewinding. The sample counts keep all 8 level sets within
 * the compute one session of the shared 2-core machine affords.
 */
export function zooLevelRecipe(m: ZooModel): LevelRecipe {
  const t = ZOO_RECIPES[m.task];
  const lane = m.task === "lanenet";
  return {
    method: "prune",
    steps: 12,
    fraction: lane ? 0.12 : 0.16,
    epochs: 1,
    trainSamples: lane ? 760 : 1600,
    batchSize: t.batchSize,
    lr: t.optimizer.lr,
    warmupSteps: 5,
    minLr: t.schedule.minLr,
    weightDecay: t.optimizer.weightDecay,
    loss: t.loss.kind === "l1" ? { name: "l1" } : { name: "bce", posWeight: t.loss.posWeight },
    augment: t.augment,
    seed: m.seed,
  };
}
