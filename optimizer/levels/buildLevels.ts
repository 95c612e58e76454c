import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { check, readJsonFile, writeFileAtomic } from "../../common/index.ts";
import { groupSizes, IMPORTANCE_BY_NAME, IMPORTANCE_NAMES, pruneChannels } from "../approx/index.ts";
import { colorJitter, horizontalFlip, type TensorDataset } from "../data/index.ts";
import type { Model } from "../onnx/ir.ts";
import { modelStats } from "../onnx/modelStats.ts";
import { decodeModel, encodeModel } from "../onnx/serialize.ts";
import { loadModel } from "../runtime/loadModel.ts";
import type { NnModel } from "../runtime/NnModel.ts";
import { fit } from "../train/fit.ts";
import { lossByName } from "../train/losses/index.ts";
import { adam } from "../train/optimizers/index.ts";
import { CosineSchedule } from "../train/schedules/index.ts";
import { TrainingSession } from "../train/TrainingSession.ts";
import { levelKey } from "./levelKey.ts";
import type { LevelRecipe } from "./LevelRecipe.ts";
import { measureLevelLatency } from "./measureLevelLatency.ts";
import type { LevelRecord, LevelSet } from "./LevelSet.ts";

/** Options of {@link buildLevels}. */
export interface BuildLevelsOptions {
  /** The trained original. */
  model: Model;
  train: TensorDataset;
  validation: TensorDataset;
  /** Held-out split whose metrics are recorded too. */
  test?: TensorDataset;
  recipe: LevelRecipe;
  /** Computes the metrics of a model on a split. */
  evaluate: (nn: NnModel, ds: TensorDataset) => Promise<Record<string, number>>;
  /** The metric (a key of `evaluate`'s result) that decides losslessness, and its direction. */
  primary: { name: string; mode: "min" | "max" };
  /** Parent folder; the levels go into `<root>/<key>/`. */
  root: string;
  /** Called after each level is saved (also for levels found on disk, with `reused` true). */
  onLevel?: (record: LevelRecord, reused: boolean) => void;
  /** Called once per retraining epoch; `validationLoss` only with the recipe's `keepBestEpoch`. */
  onEpoch?: (level: number, epoch: number, trainLoss: number, validationLoss?: number) => void;
}

/** The result of {@link buildLevels}. */
export interface BuiltLevels {
  /** `<root>/<key>`. */
  dir: string;
  set: LevelSet;
  /** Levels made (pruned, and retrained when the recipe has epochs) by this call; 0 when every level was reused. */
  trainedLevels: number;
}

const LEVELS_JSON = "levels.json";
const levelFile = (k: number) => `level-${String(k).padStart(2, "0")}.onnx`;

function stridedIndices(size: number, count: number): Int32Array {
  const n = Math.min(size, count);
  const step = size / n;
  return Int32Array.from({ length: n }, (_, i) => Math.floor(i * step));
}

function checkRecipe(r: LevelRecipe): void {
  check(r.method === "prune", "recipe.method", () => `only "prune" is supported, got "${r.method}"`);
  check(Number.isInteger(r.steps) && r.steps >= 1, "recipe.steps", () => `expected a positive integer, got ${r.steps}`);
  check(r.fraction > 0 && r.fraction < 1, "recipe.fraction", () => `expected a value in (0, 1), got ${r.fraction}`);
  check(
    r.minChannels === undefined || (Number.isInteger(r.minChannels) && r.minChannels >= 1),
    "recipe.minChannels",
    () => `expected a positive integer, got ${r.minChannels}`,
  );
  check(
    r.roundTo === undefined || (Number.isInteger(r.roundTo) && r.roundTo >= 1),
    "recipe.roundTo",
    () => `expected a positive integer, got ${r.roundTo}`,
  );
  check(
    r.importance === undefined || IMPORTANCE_NAMES.includes(r.importance),
    "recipe.importance",
    () => `expected one of ${IMPORTANCE_NAMES.join(", ")}, got "${r.importance}"`,
  );
  check(Number.isInteger(r.epochs) && r.epochs >= 0, "recipe.epochs", () => `expected a non-negative integer, got ${r.epochs}`);
  check(Number.isInteger(r.batchSize) && r.batchSize >= 1, "recipe.batchSize", () => `expected a positive integer, got ${r.batchSize}`);
  check(
    Number.isInteger(r.trainSamples) && r.trainSamples >= 1,
    "recipe.trainSamples",
    () => `expected a positive integer, got ${r.trainSamples}`,
  );
}

/**
 * Iterative structured pruning with learning-rate rewinding (Renda et al.
 * 2020): step k removes a further `fraction` of every prunable channel group
 * (ranked by the recipe's importance, L1 unless it names another; channels
 * physically removed; see `pruneChannels`), then
 * retrains the pruned weights with the recipe's schedule replayed from its
 * start (Adam, cosine from `lr` to `minLr` over the level's steps). Every
 * level is saved as it finishes into `<root>/<key>/` — `level-KK.onnx` and
 * `levels.json` with its metrics, FLOPs and latency (measured interleaved
 * with the original) — where `key` hashes (model, data, recipe). A later call
 * with the same inputs reuses what is there: a complete set trains nothing,
 * a killed run resumes at the first missing level (pruning is deterministic,
 * so the resumed levels are the same as an uninterrupted run's).
 */
export async function buildLevels(opts: BuildLevelsOptions): Promise<BuiltLevels> {
  const { recipe, primary } = opts;
  checkRecipe(recipe);
  const key = levelKey(opts.model, opts, recipe, primary.name);
  const dir = join(opts.root, key);
  await mkdir(dir, { recursive: true });
  const indexPath = join(dir, LEVELS_JSON);
  const set: LevelSet = existsSync(indexPath)
    ? (readJsonFile(indexPath) as LevelSet)
    : { key, recipe, primary, levels: [], lastLosslessLevel: 0, complete: false };
  set.levels = set.levels.filter((l) => existsSync(join(dir, l.file)));
  for (const l of set.levels) opts.onLevel?.(l, true);
  if (set.complete && set.levels.length === recipe.steps + 1) return { dir, set, trainedLevels: 0 };

  const original = await loadModel(opts.model, { intraOpThreads: 1 });
  const originalStats = modelStats(opts.model);
  const originalSizes = groupSizes(opts.model);
  const save = async () => {
    set.lastLosslessLevel = lastLossless(set);
    await writeFileAtomic(indexPath, new TextEncoder().encode(JSON.stringify(set, null, 2) + "\n"));
  };
  const record = async (k: number, model: Model, seconds: number): Promise<LevelRecord> => {
    const bytes = encodeModel(model);
    await writeFileAtomic(join(dir, levelFile(k)), bytes);
    const nn = await loadModel(model, { intraOpThreads: 1 });
    try {
      const stats = modelStats(model);
      const latency = await measureLevelLatency(original, nn);
      const rec: LevelRecord = {
        level: k,
        file: levelFile(k),
        pruned: k === 0 ? 0 : 1 - (1 - recipe.fraction) ** k,
        flops: stats.totalFlops,
        flopsRatio: stats.totalFlops / originalStats.totalFlops,
        params: stats.totalParams,
        metrics: await opts.evaluate(nn, opts.validation),
        ...(opts.test ? { testMetrics: await opts.evaluate(nn, opts.test) } : {}),
        latency,
        seconds,
      };
      check(
        primary.name in rec.metrics,
        "primary",
        () => `metric "${primary.name}" is not among the evaluated ones (${Object.keys(rec.metrics).join(", ")})`,
      );
      return rec;
    } finally {
      await nn.dispose();
    }
  };

  let trainedLevels = 0;
  try {
    if (set.levels.length === 0) {
      const rec = await record(0, opts.model, 0);
      set.levels.push(rec);
      await save();
      opts.onLevel?.(rec, false);
    }
    const trainSet = opts.train.subset(stridedIndices(opts.train.size, recipe.trainSamples));
    const last = join(dir, set.levels[set.levels.length - 1].file);
    let model = set.levels.length > 1 ? decodeModel(readFileSync(last), last) : opts.model;
    for (let k = set.levels.length; k <= recipe.steps; k++) {
      const t0 = performance.now();
      const fraction = 1 - (1 - recipe.fraction) ** k;
      model = pruneChannels(model, fraction, {
        originalSizes,
        minChannels: recipe.minChannels,
        roundTo: recipe.roundTo,
        importance: IMPORTANCE_BY_NAME[recipe.importance ?? "l1"],
      }).model;
      if (recipe.epochs > 0)
        model = await retrain(model, {
          train: trainSet,
          validation: opts.validation,
          recipe,
          level: k,
          ckptDir: join(dir, `retrain-${String(k).padStart(2, "0")}`),
          onEpoch: opts.onEpoch,
        });
      // Continue from the bytes as saved, exactly what a resumed run reads back.
      model = decodeModel(encodeModel(model), levelFile(k));
      const rec = await record(k, model, (performance.now() - t0) / 1000);
      set.levels.push(rec);
      trainedLevels++;
      set.complete = k === recipe.steps;
      await save();
      opts.onLevel?.(rec, false);
    }
  } finally {
    await original.dispose();
  }
  return { dir, set, trainedLevels };
}

/** What one level's retraining reads besides the pruned model. */
interface RetrainOptions {
  train: TensorDataset;
  /** Judges the epochs when the recipe keeps its best one. */
  validation: TensorDataset;
  recipe: LevelRecipe;
  level: number;
  ckptDir: string;
  onEpoch?: BuildLevelsOptions["onEpoch"];
}

async function retrain(model: Model, { train, validation, recipe: r, level, ckptDir, onEpoch }: RetrainOptions): Promise<Model> {
  const session = await TrainingSession.create(model, {
    loss: lossByName(r.loss.name, { posWeight: r.loss.posWeight }, "recipe.loss"),
    optimizer: adam({ weightDecay: r.weightDecay }),
    batchSize: r.batchSize,
    seed: r.seed + level,
  });
  try {
    const steps = r.epochs * Math.ceil(train.size / r.batchSize);
    const result = await fit(session, {
      train,
      epochs: r.epochs,
      batchSize: r.batchSize,
      schedule: new CosineSchedule({ lr: r.lr, totalSteps: steps, warmupSteps: Math.min(r.warmupSteps, steps - 1), minLr: r.minLr }),
      seed: r.seed + level,
      augment: [horizontalFlip({ p: r.augment.horizontalFlip }), colorJitter(r.augment.colorJitter)],
      ...(r.keepBestEpoch && { validation, earlyStopping: { patience: r.epochs, restoreBest: true } }),
      checkpoint: { dir: ckptDir, everySteps: 25 },
      onEpoch: (e) => onEpoch?.(level, e.epoch, e.trainLoss, e.validation),
    });
    return result.model;
  } catch (e) {
    if (e instanceof Error) e.message = `level ${level}: ${e.message}`;
    throw e;
  } finally {
    await session.release();
  }
}

/**
 * The last level before the first one whose primary metric is worse than level
 * 0's, on the validation split (the `lastLosslessLevel` of a {@link LevelSet})
 * or on the test split. The test split is the unbiased one when the original
 * was picked as its best epoch on the validation split (`keepBest`): that
 * pick flatters level 0 on validation by its epoch-to-epoch noise.
 *
 * @returns 0 when level 1 is already worse, or the split has no metrics.
 */
export function lastLossless(set: Pick<LevelSet, "levels" | "primary">, split: "validation" | "test" = "validation"): number {
  const value = (l: LevelRecord) => (split === "test" ? l.testMetrics?.[set.primary.name] : l.metrics[set.primary.name]);
  const base = set.levels[0] && value(set.levels[0]);
  if (base === undefined) return 0;
  let last = 0;
  for (const l of set.levels.slice(1)) {
    const v = value(l);
    if (v === undefined) break;
    const worse = set.primary.mode === "min" ? v > base : v < base;
    if (worse) break;
    last = l.level;
  }
  return last;
}
