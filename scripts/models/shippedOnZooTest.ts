import { join } from "node:path";
import { labelColumn, loadModel, poolMasks } from "../../optimizer/index.ts";
import { DATASETS, SHIPPED_LANE_MASK_FACTOR } from "./recipes.ts";
import { ensureDataset, loadSplit } from "./ensureDataset.ts";
import { zooMetrics } from "./zooData.ts";
import { zooDatasetOf, type ZooTask } from "./zoo.ts";

/**
 * The shipped model of `task` (`models/<task>.onnx`) on the zoo's test worlds:
 * the zoo dataset recipe (same seed, worlds and poses) rendered at the shipped
 * model's own resolution into `<root>/<kind>`, so "as accurate as the shipped
 * model" compares both on the same held-out worlds rather than on two
 * datasets' different test splits. Metrics as in the zoo's cards.
 */
export async function shippedOnZooTest(task: ZooTask, root = "data/zoo-shipped-res", modelsDir = "models"): Promise<Record<string, number>> {
  const zoo = zooDatasetOf(task);
  const shipped = DATASETS.full[zoo.kind === "gem" ? "gem" : "cropfollow"];
  const dir = await ensureDataset(root, { ...zoo, width: shipped.width, height: shipped.height });
  const test = await loadSplit(dir, "test");
  const nn = await loadModel(join(modelsDir, `${task}.onnx`), { intraOpThreads: 1 });
  try {
    return await zooMetrics(task, nn, task === "lanenet" ? poolMasks(test, SHIPPED_LANE_MASK_FACTOR) : labelColumn(test, task));
  } finally {
    await nn.dispose();
  }
}
