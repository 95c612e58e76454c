import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { InputError, parseInput, seedRange } from "../../common/index.ts";
import { metricRegistry, objectiveRegistry, REGRESSION_ERROR_MODELS } from "../../optimizer/index.ts";

const seeds = z.union([z.number().int().positive(), z.array(z.number().int()).min(1)]);
const fraction = z.number().gt(0).lt(1);
/** Retraining after every approximation step (learning-rate rewinding: Adam, cosine schedule replayed from its start). */
const finetuneSchema = z.strictObject({
  epochs: z.number().int().positive(),
  lr: z.number().positive().default(1e-3),
  batchSize: z.number().int().positive().default(32),
});

/**
 * The JSON configuration of `approxcaliper calibrate` and `approxcaliper optimize`.
 * Relative paths are resolved against the configuration file's folder.
 *
 * ```json
 * {
 *   "models": { "heading": "models/heading.onnx", "distance": "models/distance.onnx" },
 *   "dataset": { "dir": "data/cropfollow/val", "labels": "data/cropfollow/val/labels.json" },
 *   "approximators": [{ "method": "prune", "nSteps": 5, "pruneFraction": 0.2 }],
 *   "calibration": { "iters": 12, "seeds": 2 },
 *   "seeds": 2, "maxQosRuns": 10,
 *   "run": { "maxTime": 60 }
 * }
 * ```
 */
export const TuningConfigSchema = z.strictObject({
  /** ONNX file per NN name (the application's networks: cropfollow heading, distance; gem lanenet). */
  models: z
    .record(z.string().min(1), z.string().min(1, { error: "expected a path to an .onnx file" }))
    .refine((m) => Object.keys(m).length > 0, {
      error: "needs at least one model",
    }),
  /** Dataset the candidates' metrics are measured on (labels.json format). */
  dataset: z.strictObject({ dir: z.string().min(1), labels: z.string().min(1).optional() }),
  /** Training dataset for approximators with `finetune`; `samples` takes every k-th sample. */
  train: z
    .strictObject({ dir: z.string().min(1), labels: z.string().min(1).optional(), samples: z.number().int().positive().optional() })
    .optional(),
  /** Metric per NN name (`iou@0` etc.: mask metrics on logits). @default the application's (cropfollow l1Error, gem iou@0) */
  metrics: z.record(z.string(), z.enum(metricRegistry.names())).optional(),
  /** Approximators, each yielding nSteps levels per NN. */
  approximators: z
    .array(
      z.discriminatedUnion(
        "method",
        [
          z.strictObject({
            method: z.literal("prune"),
            nSteps: z.number().int().positive(),
            pruneFraction: fraction,
            finetune: finetuneSchema.optional(),
          }),
          z.strictObject({
            method: z.literal("lowrank"),
            nSteps: z.number().int().positive(),
            rankFraction: fraction.optional(),
            finetune: finetuneSchema.optional(),
          }),
        ],
        { error: 'expected method "prune" or "lowrank"' },
      ),
    )
    .min(1),
  /** constraints.json from `approxcaliper calibrate` (optimize: else calibrated inline). */
  constraints: z.string().min(1).optional(),
  /** Inline error calibration (when no constraints file is given, or for `calibrate`). */
  calibration: z
    .strictObject({
      iters: z.number().int().positive().default(12),
      precision: z.number().gt(0).lt(1).optional(),
      seeds: seeds.default(2),
      /** Searched [best, worst] per NN, in metric units. @default the measured range */
      bounds: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
      /** How the regression NNs' measured error families model the error. @default each network's `errorModel` in the application spec */
      errorModel: z.enum(REGRESSION_ERROR_MODELS).optional(),
      /**
       * `structured` families: closed-loop runs (world seeds 0…n−1) per level recording each regression NN's
       * errors in time, for their correlation time; 0 leaves the term out. @default 2
       */
      errorSequenceRuns: z.number().int().nonnegative().default(2),
    })
    .default({ iters: 12, seeds: 2, errorSequenceRuns: 2 }),
  /** QoS seeds of the guided search: a count K (0…K−1) or the list. */
  seeds: seeds.default(2),
  /** Fresh seeds verifying the choice. @default as many as `seeds`, after them */
  verifySeeds: seeds.optional(),
  /** @default the application's (cropfollow max-min-fps, gem min-utilization) */
  objective: z.enum(objectiveRegistry.names()).optional(),
  /** Perception rate the min-utilization objective assumes when no fps knob is searched. @default the application's (cropfollow 10, gem 20) */
  fps: z.number().positive().optional(),
  /** Knob values searched with the NNs; the first is the original setting. */
  knobs: z.strictObject({ fps: z.array(z.number().positive()).min(1) }).optional(),
  maxQosRuns: z.number().int().nonnegative().optional(),
  /** Timed batch-1 runs per candidate latency. */
  latencyRuns: z.number().int().positive().default(20),
  /** World preset name or file. @default the application's */
  world: z.string().min(1).optional(),
  /** QoS goal (collisions, completed, crossTrackRms, …). @default { collisions: 0 } */
  target: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
  /** Further run settings (maxTime, speed, latency, …), validated by the pipeline. */
  run: z.record(z.string(), z.unknown()).optional(),
  /** Worker threads for the seeds. */
  workers: z.number().int().positive().default(2),
});

/** A validated configuration with paths resolved. */
export type TuningConfig = z.output<typeof TuningConfigSchema>;

/** Reads and validates a configuration; errors name the file and the field. */
export function readTuningConfig(path: string): TuningConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(path, `cannot read the config (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, `not valid JSON: ${(e as Error).message}`);
  }
  return parseTuningConfig(json, path);
}

/** Validates a configuration object; `path` is the file it came from (relative paths resolve against its folder). */
export function parseTuningConfig(json: unknown, path: string): TuningConfig {
  const config = parseInput(TuningConfigSchema, json, path);
  const base = dirname(resolve(path));
  const at = (p: string) => (isAbsolute(p) ? p : join(base, p));
  for (const [nn, file] of Object.entries(config.models)) {
    config.models[nn] = at(file);
    if (!existsSync(config.models[nn])) throw new InputError(`${path}: models.${nn}`, `no such file: ${config.models[nn]}`);
  }
  config.dataset.dir = at(config.dataset.dir);
  config.dataset.labels = config.dataset.labels ? at(config.dataset.labels) : join(config.dataset.dir, "labels.json");
  if (!existsSync(config.dataset.labels)) throw new InputError(`${path}: dataset.labels`, `no such file: ${config.dataset.labels}`);
  if (config.train) {
    config.train.dir = at(config.train.dir);
    config.train.labels = config.train.labels ? at(config.train.labels) : join(config.train.dir, "labels.json");
    if (!existsSync(config.train.labels)) throw new InputError(`${path}: train.labels`, `no such file: ${config.train.labels}`);
  }
  config.approximators.forEach((a, i) => {
    if (a.finetune && !config.train) throw new InputError(`${path}: approximators[${i}].finetune`, "needs a train dataset (config field train)");
  });
  if (config.constraints) {
    config.constraints = at(config.constraints);
    if (!existsSync(config.constraints)) throw new InputError(`${path}: constraints`, `no such file: ${config.constraints}`);
  }
  for (const nn of Object.keys(config.metrics ?? {})) {
    if (!(nn in config.models))
      throw new InputError(`${path}: metrics.${nn}`, `not one of the models (${Object.keys(config.models).join(", ")})`);
  }
  if (typeof config.world === "string" && config.world.endsWith(".json")) config.world = at(config.world);
  return config;
}

/** Seeds as a list: a count K means 0…K−1 (`seedRange`). */
export function seedList(s: number | number[]): number[] {
  return typeof s === "number" ? seedRange(s) : s;
}
