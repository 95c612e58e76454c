import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../common/index.ts";
import { modelOf, type Approximator } from "../approx/Approximator.ts";
import { decodeModel, encodeModel } from "../onnx/serialize.ts";
import type { Model } from "../onnx/ir.ts";
import type { LevelSetOnDisk } from "./readLevelSet.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Checks that `model` is the level set's original (level 0), byte for byte once encoded.
 * @throws InputError naming `where` when the levels were built from another model.
 */
export function checkLevelSetOriginal(onDisk: LevelSetOnDisk, model: Model, where: string): void {
  const original = sha256(readFileSync(join(onDisk.dir, onDisk.set.levels[0].file)));
  if (sha256(encodeModel(model)) !== original)
    throw new InputError(where, `the levels in ${onDisk.dir} were built from another model (its level 0 differs from this one)`);
}

/**
 * The cached levels of a level set as an {@link Approximator}: levels 1 … N
 * read from their files (one at a time) instead of pruned and retrained
 * again, so tuning and calibration use exactly the levels `buildLevels` made.
 * The model given to `levels` must be the set's original (level 0), byte for
 * byte once encoded: levels of another model are refused.
 */
export function levelSetApproximator(onDisk: LevelSetOnDisk, where: string): Approximator {
  const { dir, set } = onDisk;
  const levels = set.levels.filter((l) => l.level > 0).sort((a, b) => a.level - b.level);
  return {
    name: set.recipe?.method ?? "prune",
    nSteps: levels.length,
    async *levels(nn) {
      checkLevelSetOriginal(onDisk, modelOf(nn), where);
      for (const l of levels) {
        const file = join(dir, l.file);
        yield { level: l.level, fraction: l.pruned, model: decodeModel(readFileSync(file), file) };
      }
    },
  };
}
