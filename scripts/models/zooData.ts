import { join } from "node:path";
import { labelColumn, laneMaskMetrics, models, poolMasks, regressionL1, type NnModel, type TensorDataset } from "../../optimizer/index.ts";
import { loadSplit } from "./ensureDataset.ts";
import { zooDatasetOf, type ZooTask } from "./zoo.ts";

/** A dataset's three splits. */
export type Splits = Record<"train" | "val" | "test", TensorDataset>;

/** Each dataset's splits, loaded once per root (concurrent jobs share them and their pixel buffers). */
const loaded = new Map<string, Promise<Splits>>();

/** The train/val/test views a zoo task trains and is evaluated on: one label column, or masks pooled to the model's 1/4 grid. */
export async function zooSplits(dataRoot: string, task: ZooTask): Promise<Splits> {
  const dir = join(dataRoot, zooDatasetOf(task).kind);
  let splits = loaded.get(dir);
  if (!splits) {
    splits = (async () => ({ train: await loadSplit(dir, "train"), val: await loadSplit(dir, "val"), test: await loadSplit(dir, "test") }))();
    loaded.set(dir, splits);
  }
  const s = await splits;
  const view = (ds: TensorDataset) => (task === "lanenet" ? poolMasks(ds, models.LANE_MASK_FACTOR) : labelColumn(ds, task));
  return { train: view(s.train), val: view(s.val), test: view(s.test) };
}

/** The metric a task's cards and levels report first, and whether lower is better. */
export function zooPrimaryMetric(task: ZooTask): { name: string; mode: "min" | "max" } {
  if (task === "lanenet") return { name: "laneIoU", mode: "max" };
  return task === "heading" ? { name: "headingL1Deg", mode: "min" } : { name: "distanceL1", mode: "min" };
}

/** The metrics of a zoo model on one split (heading L1 in degrees, distance L1, lane recall/precision/IoU). */
export async function zooMetrics(task: ZooTask, nn: NnModel, ds: TensorDataset): Promise<Record<string, number>> {
  if (task === "lanenet") {
    const m = await laneMaskMetrics(nn, ds);
    return { laneRecall: m.recall, lanePrecision: m.precision, laneIoU: m.iou };
  }
  const l1 = await regressionL1(nn, ds);
  return task === "heading" ? { headingL1Deg: (l1 * 180) / Math.PI } : { distanceL1: l1 };
}
