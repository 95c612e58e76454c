import { check, InputError, readJsonFile } from "../../common/index.ts";
import { parseLabelsFile } from "../../optimizer/index.ts";
import { sampleWorldSeed } from "../../sim/index.ts";

/**
 * The world each sample of a dataset was rendered in, as group indices 0…G−1 in labels.json order (the
 * order `loadDataset` keeps), read from the file names `approxcaliper dataset` writes (`w<seed>-<index>.png`):
 * what a calibration with world spreads measures each level's metric over.
 *
 * @throws InputError naming the labels file and item when a file names no world, or when there are
 *   fewer than 2 worlds (no spread to measure).
 */
export function datasetWorldGroups(labelsFile: string): Int32Array {
  const items = parseLabelsFile(readJsonFile(labelsFile), labelsFile).items;
  const index = new Map<number, number>();
  const groups = new Int32Array(items.length);
  items.forEach((item, i) => {
    const world = sampleWorldSeed(item.file);
    if (world === undefined)
      throw new InputError(
        `${labelsFile}: items[${i}].file`,
        `"${item.file}" names no world (w<seed>-<index>.png, as \`approxcaliper dataset\` writes)`,
      );
    if (!index.has(world)) index.set(world, index.size);
    groups[i] = index.get(world)!;
  });
  check(index.size >= 2, labelsFile, () => `world spreads need samples from at least 2 worlds, found ${index.size}`);
  return groups;
}
