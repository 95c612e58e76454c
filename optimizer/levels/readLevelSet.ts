import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { InputError, readJsonFile } from "../../common/index.ts";
import type { LevelSet } from "./LevelSet.ts";

/** A level set found on disk: its directory (holding `levels.json` and `level-KK.onnx`) and its index. */
export interface LevelSetOnDisk {
  dir: string;
  set: LevelSet;
}

/**
 * Reads a level set made by `buildLevels` (`approxcaliper levels`,
 * `npm run levels:zoo`). `path` is the level directory, its `levels.json`,
 * or a zoo summary (`models/zoo/<name>.levels.json`, which names the
 * directory by its content hash `key`): that directory is
 * `<levelsRoot>/<key>` when `levelsRoot` is given, else the summary's `dir`
 * (relative to the working directory `npm run levels:zoo` ran in).
 *
 * @throws InputError naming `where` when the file or directory is missing, not a level set, or a level's file is absent.
 */
export function readLevelSet(path: string, where: string, levelsRoot?: string): LevelSetOnDisk {
  if (!existsSync(path)) throw new InputError(where, `no such file or directory: ${path}`);
  const index = statSync(path).isDirectory() ? join(path, "levels.json") : path;
  const parsed = readJson(index, where) as Partial<LevelSet> & { dir?: string };
  if (!Array.isArray(parsed.levels) || typeof parsed.key !== "string" || parsed.primary === undefined)
    throw new InputError(where, `${index} is not a level set (expected key, primary and levels, as buildLevels writes them)`);
  let dir = dirname(index);
  if (!existsSync(join(dir, parsed.levels[0]?.file ?? "level-00.onnx"))) {
    const candidates = [
      ...(levelsRoot ? [join(levelsRoot, parsed.key)] : []),
      ...(typeof parsed.dir === "string" ? [isAbsolute(parsed.dir) ? parsed.dir : resolve(parsed.dir)] : []),
    ];
    const found = candidates.find((d) => existsSync(join(d, "levels.json")));
    if (!found)
      throw new InputError(
        where,
        `the level directory of ${index} (key ${parsed.key}) is not at ${candidates.join(" or ") || "any known place"}; build it (npm run levels:zoo) or set levelsRoot`,
      );
    dir = found;
  }
  const set = readJson(join(dir, "levels.json"), where) as LevelSet;
  if (set.key !== parsed.key) throw new InputError(where, `${dir}/levels.json has key ${set.key}, expected ${parsed.key}`);
  if (set.levels.length === 0 || set.levels[0].level !== 0) throw new InputError(where, `${dir}/levels.json has no level 0 (the original)`);
  for (const l of set.levels) {
    if (!existsSync(join(dir, l.file))) throw new InputError(where, `level ${l.level} of ${dir} is missing its file ${l.file}`);
  }
  return { dir, set };
}

/** {@link readJsonFile}, its error also naming the config field that pointed at the file. */
function readJson(file: string, where: string): unknown {
  try {
    return readJsonFile(file);
  } catch (e) {
    throw new InputError(where, (e as Error).message);
  }
}
