import { join } from "node:path";
import { writeFileAtomic } from "../../common/index.ts";
import { loadModel } from "../runtime/loadModel.ts";
import type { InterleavedOptions } from "../runtime/measureInterleaved.ts";
import type { LevelRecord } from "./LevelSet.ts";
import { measureLevelLatency } from "./measureLevelLatency.ts";
import { readLevelSet, type LevelSetOnDisk } from "./readLevelSet.ts";

/**
 * Measures the latency of every level of a level set again, each level
 * interleaved with level 0 (the original), and rewrites the set's
 * `levels.json` (atomically; nothing else in it changes).
 *
 * `buildLevels` measures each level as it is made, which on a small machine
 * is while other levels train: those figures carry the training's load. Run
 * this on a quiet machine once the set is complete to get latencies and
 * speed-ups a user can trust.
 *
 * @param path a level directory, its `levels.json` or a zoo summary (see {@link readLevelSet}).
 * @param opts `levelsRoot` (see {@link readLevelSet}), the `measureInterleaved` options, and
 *   `onLevel`, called after each level with its new record.
 * @throws InputError when `path` is not a level set or a level's file is missing.
 */
export async function remeasureLevelLatency(
  path: string,
  opts: { levelsRoot?: string; measure?: InterleavedOptions; onLevel?: (r: LevelRecord) => void } = {},
): Promise<LevelSetOnDisk> {
  const found = readLevelSet(path, path, opts.levelsRoot);
  const { dir, set } = found;
  const original = await loadModel(join(dir, set.levels[0].file), { intraOpThreads: 1 });
  try {
    for (const rec of set.levels) {
      const nn = await loadModel(join(dir, rec.file), { intraOpThreads: 1 });
      try {
        rec.latency = await measureLevelLatency(original, nn, opts.measure);
      } finally {
        await nn.dispose();
      }
      opts.onLevel?.(rec);
    }
  } finally {
    await original.dispose();
  }
  await writeFileAtomic(join(dir, "levels.json"), new TextEncoder().encode(JSON.stringify(set, null, 2) + "\n"));
  return found;
}
