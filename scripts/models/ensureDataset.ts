import { existsSync } from "node:fs";
import { join } from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { loadDataset, type TensorDataset } from "../../optimizer/index.ts";
import { readJsonFile } from "../../common/index.ts";
import { DATASET_GENERATOR_VERSION, generateDataset, type DatasetManifest } from "../../sim/index.ts";
import type { DatasetRecipe } from "./recipes.ts";

/**
 * Renders the dataset of `recipe` into `<root>/<kind>` unless its
 * `dataset.json` already describes the same recipe and generator version;
 * returns the folder.
 */
export async function ensureDataset(root: string, recipe: DatasetRecipe, workers?: number): Promise<string> {
  const dir = join(root, recipe.kind);
  const manifest = join(dir, "dataset.json");
  if (existsSync(manifest)) {
    const m = readJsonFile(manifest) as DatasetManifest;
    const same =
      m.version === DATASET_GENERATOR_VERSION[recipe.kind] &&
      m.seed === recipe.seed &&
      m.perWorld === recipe.perWorld &&
      m.width === recipe.width &&
      m.height === recipe.height;
    const worlds = m.splits.train.worldSeeds.length + m.splits.val.worldSeeds.length + m.splits.test.worldSeeds.length;
    if (same && worlds === recipe.worlds) {
      console.log(`${dir}: dataset up to date (${m.splits.train.count} train / ${m.splits.val.count} val / ${m.splits.test.count} test)`);
      return dir;
    }
  }
  const bar = new SingleBar({ format: `dataset ${recipe.kind} {bar} {value}/{total} worlds | {eta_formatted} left` }, Presets.shades_classic);
  bar.start(recipe.worlds, 0);
  const t0 = performance.now();
  await generateDataset({ ...recipe, out: dir, workers, onProgress: (d) => bar.update(d) });
  bar.stop();
  console.log(`${dir}: generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return dir;
}

/** One split of a generated dataset. */
export async function loadSplit(dir: string, split: "train" | "val" | "test"): Promise<TensorDataset> {
  return loadDataset(join(dir, split), join(dir, split, "labels.json"));
}
