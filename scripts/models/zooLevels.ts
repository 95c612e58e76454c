import type { LevelRecipe } from "../../optimizer/index.ts";
import { datasetSplitWorlds } from "../../sim/index.ts";
import { ZOO_RECIPES, zooDatasetOf, type ZooModel } from "./zoo.ts";

/**
 * The level recipe of a zoo model: 12 pruning steps — 16 % of the remaining
 * channels per step for CropFollow (FLOPs ≈ 0.84^24 → ≤ 5 % of the
 * original), 15 % for LaneNet (≈ 0.85^24 → ≤ 10 %) — each retrained for one
 * epoch on the whole training split with the model's own training recipe
 * (loss, Adam, peak learning rate, augmentation) replayed from its start:
 * learning-rate rewinding.
 *
 * Measured on this machine before settling (`levels:zoo` logs): retraining on
 * 1,600 (CropFollow) / 760 (LaneNet) frames lost the original's accuracy from
 * level 1 and jumped ±30 % between neighbouring levels, the whole split keeps
 * heading-resnet18 at or below the original's error to level 9 (4.6 % of the
 * FLOPs). LaneNets keep at least 4 channels per group: their decoders are 12
 * channels wide, and lanenet-darknet pruned to 4 of them with no floor
 * predicted empty masks from level 7 on, retraining never bringing them back
 * (with the floor it still loses three levels in the middle and recovers
 * after them: see the README's zoo section; a lower peak learning rate, 1e-3,
 * did not save them). A higher floor keeps too many FLOPs in the thin
 * full-resolution layers (8 channels: ≥ 14 % of the FLOPs at level 12).
 * Kept channel counts are rounded to multiples of 8 where they are at least
 * 8 (`roundTo`): with exact counts level 1 ran slower than the original
 * (0.86–0.94× for ResNet and DarkNet), rounded it is faster at every depth.
 *
 * LaneNets rank channels by layer-balanced L1 (`"l1-balanced"`): with the
 * plain sum, pruning lanenet-vgg by 5 % before any retraining left IoU 0.0006
 * (its mask classifier's inputs chosen by the 3×3 filters before them), and
 * levels 1–3 retrained to IoU 0.89–0.93; balanced, 0.93 before retraining and
 * 0.995–0.996 after (lanenet-darknet levels 1–2: 0.986 / 0.995 → 0.991 /
 * 0.995; original 0.998). For the CropFollow nets it made levels 1–3 neither
 * better nor worse beyond their epoch-to-epoch noise (heading-resnet18 2.80 /
 * 2.72 / 2.56° → 3.14 / 2.83 / 2.52°, heading-squeezenet 3.60 / 2.85 / 3.17° →
 * 3.84 / 3.01 / 2.66°), so they keep plain L1. Two epochs per level instead
 * of one moved LaneNet level 1 by 0.0006–0.003 IoU for twice the time.
 */
export function zooLevelRecipe(m: ZooModel): LevelRecipe {
  const t = ZOO_RECIPES[m.task];
  const ds = zooDatasetOf(m.task);
  const lane = m.task === "lanenet";
  return {
    method: "prune",
    steps: 12,
    fraction: lane ? 0.15 : 0.16,
    ...(lane && { minChannels: 4 }),
    roundTo: 8,
    ...(lane && { importance: "l1-balanced" as const }),
    epochs: 1,
    trainSamples: datasetSplitWorlds(ds.worlds).train * ds.perWorld,
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
