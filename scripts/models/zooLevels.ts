import type { LevelRecipe } from "../../optimizer/index.ts";
import { datasetSplitWorlds } from "../../sim/index.ts";
import { ZOO_RECIPES, zooDatasetOf, type ZooModel } from "./zoo.ts";

/**
 * The level recipe of a zoo model: 12 pruning steps — 16 % of the remaining
 * channels per step for CropFollow (FLOPs ≈ 0.84^24 → ≤ 5 % of the
 * original), 15 % for LaneNet (≈ 0.85^24 → ≤ 10 %) — each retrained for one
 * epoch on the whole training split with the model's own training recipe
 * (loss, Adam, peak learning rate, augmentation) replayed from its start:
 * learning-rate rewinding; a model's {@link ZooModel.levelRetraining}
 * lengthens the epochs and lowers the peak rate.
 *
 * Why each choice (the measurements behind them are in the README's "Levels"
 * section and the `levels:zoo` logs): a smaller retraining sample lost the
 * original's accuracy from level 1; LaneNets keep at least 4 channels per
 * group because their 12-channel decoders pruned further predicted empty
 * masks that retraining never brought back, and a higher floor keeps too many
 * FLOPs in the thin full-resolution layers; kept counts are rounded to
 * multiples of 8 because exact counts made early levels slower than the
 * original; LaneNets rank channels by layer-balanced L1 because the plain sum
 * let the 3×3 filters before the mask classifier decide which of its inputs
 * go, while for the CropFollow nets it made no difference beyond their
 * epoch-to-epoch noise.
 */
export function zooLevelRecipe(m: ZooModel): LevelRecipe {
  const t = ZOO_RECIPES[m.task];
  const ds = zooDatasetOf(m.task);
  const lane = m.task === "lanenet";
  const retraining = { epochs: 1, peakLrScale: 1, keepBestEpoch: false, ...m.levelRetraining };
  return {
    method: "prune",
    steps: 12,
    fraction: lane ? 0.15 : 0.16,
    ...(lane && { minChannels: 4 }),
    roundTo: 8,
    ...(lane && { importance: "l1-balanced" as const }),
    epochs: retraining.epochs,
    ...(retraining.keepBestEpoch && { keepBestEpoch: true }),
    trainSamples: datasetSplitWorlds(ds.worlds).train * ds.perWorld,
    batchSize: t.batchSize,
    lr: t.optimizer.lr * retraining.peakLrScale,
    warmupSteps: 5,
    minLr: t.schedule.minLr,
    weightDecay: t.optimizer.weightDecay,
    loss: t.loss.kind === "l1" ? { name: "l1" } : { name: "bce", posWeight: t.loss.posWeight },
    augment: t.augment,
    seed: m.seed,
  };
}
