import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { InputError, parseInput, readJsonFile, seedRange } from "../../common/index.ts";
import {
  IMPORTANCE_NAMES,
  metricRegistry,
  objectiveRegistry,
  planSeeds,
  REGRESSION_ERROR_MODELS,
  type KnobAxis,
  type SeedSets,
} from "../../optimizer/index.ts";

const seeds = z.union([z.number().int().positive(), z.array(z.number().int().nonnegative()).min(1)]);
const modelPath = z.string().min(1, { error: "expected a path to an .onnx file" });
/** One backbone of an NN: its ONNX file, and optionally its cached pruning levels. */
const backboneEntry = z.union([
  modelPath,
  z.strictObject({
    model: modelPath,
    /** A level directory, its levels.json, or a zoo summary (`models/zoo/<name>.levels.json`): the levels are its candidates. */
    levels: z.string().min(1).optional(),
  }),
]);
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
 *
 * Several candidate models per NN (architecture as a tuning dimension) are
 * a record of backbones, each a model file or `{ model, levels }` with its
 * cached pruning levels (then its levels are its candidates, and the
 * approximators are not applied to it):
 *
 * ```json
 * "models": { "heading": { "resnet18": { "model": "zoo/heading-resnet18.onnx", "levels": "zoo/heading-resnet18.levels.json" },
 *                          "darknet": { "model": "zoo/heading-darknet.onnx", "levels": "zoo/heading-darknet.levels.json" } } },
 * "levelsRoot": "data/zoo/levels",
 * "agnostic": { "reference": "darknet", "tolerance": 0, "variants": [0.01, 0.02] }
 * ```
 *
 * Seeds: calibration, tuning (`seeds`) and verification (`verifySeeds`)
 * seeds are disjoint sets; a count K takes the K seeds after the previous
 * set's (calibration from 0), see `planSeeds`.
 */
export const TuningConfigSchema = z.strictObject({
  /**
   * Per NN name (the application's networks: cropfollow heading, distance; gem lanenet): its ONNX file,
   * or its candidate backbones by name (each a file or `{ model, levels }`).
   */
  models: z
    .record(
      z.string().min(1),
      z.union([
        modelPath,
        z.record(z.string().min(1), backboneEntry).refine((m) => Object.keys(m).length > 0, { error: "needs at least one backbone" }),
      ]),
    )
    .refine((m) => Object.keys(m).length > 0, {
      error: "needs at least one model",
    }),
  /** Folder of level directories (`<levelsRoot>/<key>/`) for zoo level summaries. @default the summary's own `dir` */
  levelsRoot: z.string().min(1).optional(),
  /** Dataset the candidates' metrics are measured on (labels.json format). */
  dataset: z.strictObject({ dir: z.string().min(1), labels: z.string().min(1).optional() }),
  /** Training dataset for approximators with `finetune`; `samples` takes every k-th sample. */
  train: z
    .strictObject({ dir: z.string().min(1), labels: z.string().min(1).optional(), samples: z.number().int().positive().optional() })
    .optional(),
  /** Metric per NN name (`iou@0` etc.: mask metrics on logits). @default the application's (cropfollow l1Error, gem iou@0) */
  metrics: z.record(z.string(), z.enum(metricRegistry.names())).optional(),
  /** Approximators, each yielding nSteps levels per NN (per backbone without cached levels). @default none */
  approximators: z
    .array(
      z.discriminatedUnion(
        "method",
        [
          z.strictObject({
            method: z.literal("prune"),
            nSteps: z.number().int().positive(),
            pruneFraction: fraction,
            /** Channel ranking (`IMPORTANCE_BY_NAME`: "l1", "l1-balanced"). @default "l1" */
            importance: z.enum(IMPORTANCE_NAMES).optional(),
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
    .default([]),
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
       * `structured` families: closed-loop runs (world seeds 0…n−1, each ending at its first collision) per
       * level recording each regression NN's errors in time, for their correlation time and per-run offset;
       * 0 leaves both terms out. Off by default: it costs n runs per level and network (about 33 min for the
       * zoo's 78 CropFollow levels at n = 8), and the calibration it gives is pessimistic: on the zoo (n = 8)
       * no predicted-pass/real-fail point, but some levels the real networks pass predicted to fail (README,
       * "Calibration fidelity over the zoo"). @default 0
       */
      errorSequenceRuns: z.number().int().nonnegative().default(0),
      /**
       * Regression families: also fit how much each level's metric varies between the dataset's worlds
       * (its samples named `w<seed>-<index>.png`, as `approxcaliper dataset` writes them), and inject, per
       * run, the errors of one of ten kinds of world at that spread (`RegressionErrorFamily.worldSpread`):
       * for networks whose error grows in some worlds, which errors at the pooled metric miss. Tuning then
       * places each candidate by its world-equivalent level (`ErrorDistribution.worldEquivalentLevel`): a
       * network far more uneven across worlds than the family's levels at its metric counts as a deeper one.
       * @default false
       */
      worldSpread: z.boolean().default(false),
      /**
       * Application knobs calibrated as extra axes, [best, worst] (e.g. the GEM's perception rate
       * `{ "fps": [20, 5] }`, as the paper calibrated FPS against lane accuracy). @default none
       */
      knobs: z.strictObject({ fps: z.tuple([z.number().positive(), z.number().positive()]) }).optional(),
    })
    .default({ iters: 12, seeds: 2, errorSequenceRuns: 0, worldSpread: false }),
  /** Tuning seeds (the guided search's QoS runs): a count K (the K seeds after the calibration seeds) or the list. */
  seeds: seeds.default(2),
  /** Fresh seeds verifying the choice and the agnostic baselines. @default as many as `seeds`, after them */
  verifySeeds: seeds.optional(),
  /** Further worlds (presets or files) the verification also runs on, never used in calibration or tuning. @default none */
  verifyWorlds: z.array(z.string().min(1)).optional(),
  /**
   * The application-agnostic baseline: the fastest candidate (any backbone, any level) whose metric is
   * no worse than the unpruned `reference` backbone's by more than `tolerance` (relative), and the same
   * at each of `variants` (a practitioner's tolerances), each verified.
   */
  agnostic: z
    .strictObject({
      reference: z.string().min(1).optional(),
      tolerance: z.number().nonnegative().max(1).default(0),
      variants: z.array(z.number().nonnegative().max(1)).default([]),
    })
    .optional(),
  /** `approxcaliper evidence`: the unguided walk gives up after this many QoS runs (its count is then a lower bound). */
  unguided: z.strictObject({ maxQosRuns: z.number().int().positive() }).optional(),
  /** @default the application's (cropfollow min-fps, gem utilization) */
  objective: z.enum(objectiveRegistry.names()).optional(),
  /** Perception rate the utilization objective assumes when no fps knob is searched. @default the application's (cropfollow 10, gem 20) */
  fps: z.number().positive().optional(),
  /** Knob values searched with the NNs; the first is the original setting. */
  knobs: z.strictObject({ fps: z.array(z.number().positive()).min(1) }).optional(),
  maxQosRuns: z.number().int().nonnegative().optional(),
  /** Whether the guided search feeds real-model failures back into the constraints (`guidedSearch`'s `failureFeedback`). @default true */
  failureFeedback: z.boolean().optional(),
  /** Timed batch-1 runs per candidate latency. */
  latencyRuns: z.number().int().positive().default(20),
  /** World preset name or file. @default the application's */
  world: z.string().min(1).optional(),
  /** QoS goal (collisions, completed, crossTrackRms, …). @default { collisions: 0 } */
  target: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
  /** Further run settings (maxTime, speed, latency, maskSize, …), validated by the pipeline. */
  run: z.record(z.string(), z.unknown()).optional(),
  /**
   * Perception settings of the calibration's injected-error runs, validated by the pipeline (see
   * `ApplicationQosOptions.injected`): e.g. for the GEM `{ "laneMask": "rendered", "maskPool": 4 }`.
   */
  injected: z.record(z.string(), z.unknown()).optional(),
  /** Worker threads for the seeds. */
  workers: z.number().int().positive().default(2),
});

/** One candidate model of an NN, paths resolved. */
export interface BackboneConfig {
  name: string;
  model: string;
  /** Its level set (directory or index), when cached levels are its candidates. */
  levels?: string;
}

/**
 * A validated configuration with paths resolved. `models` holds each NN's
 * first model (its only one, or its first backbone's); `backbones` every
 * backbone of the NNs that list several.
 */
export type TuningConfig = Omit<z.output<typeof TuningConfigSchema>, "models"> & {
  models: Record<string, string>;
  backbones: Record<string, BackboneConfig[]>;
};

/** Reads and validates a configuration; errors name the file and the field. */
export function readTuningConfig(path: string): TuningConfig {
  return parseTuningConfig(readJsonFile(path), path);
}

/** Validates a configuration object; `path` is the file it came from (relative paths resolve against its folder). */
export function parseTuningConfig(json: unknown, path: string): TuningConfig {
  const parsed = parseInput(TuningConfigSchema, json, path);
  const base = dirname(resolve(path));
  const at = (p: string) => (isAbsolute(p) ? p : join(base, p));
  const exists = (file: string, field: string) => {
    if (!existsSync(file)) throw new InputError(`${path}: ${field}`, `no such file: ${file}`);
    return file;
  };
  const models: Record<string, string> = {};
  const backbones: Record<string, BackboneConfig[]> = {};
  for (const [nn, entry] of Object.entries(parsed.models)) {
    if (typeof entry === "string") {
      models[nn] = exists(at(entry), `models.${nn}`);
      continue;
    }
    backbones[nn] = Object.entries(entry).map(([name, b]) => {
      const field = `models.${nn}.${name}`;
      if (typeof b === "string") return { name, model: exists(at(b), field) };
      return {
        name,
        model: exists(at(b.model), `${field}.model`),
        ...(b.levels !== undefined ? { levels: exists(at(b.levels), `${field}.levels`) } : {}),
      };
    });
    models[nn] = backbones[nn][0].model;
  }
  const config: TuningConfig = { ...parsed, models, backbones };
  if (config.levelsRoot) config.levelsRoot = at(config.levelsRoot);
  const reference = config.agnostic?.reference;
  if (reference !== undefined) {
    if (Object.keys(backbones).length === 0)
      throw new InputError(`${path}: agnostic.reference`, `names backbone "${reference}" but no model lists backbones`);
    for (const [nn, list] of Object.entries(backbones)) {
      if (!list.some((b) => b.name === reference))
        throw new InputError(`${path}: agnostic.reference`, `"${reference}" is not a backbone of ${nn} (${list.map((b) => b.name).join(", ")})`);
    }
  }
  configSeeds(config, path);
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
  if (config.verifyWorlds) config.verifyWorlds = config.verifyWorlds.map((w) => (w.endsWith(".json") ? at(w) : w));
  return config;
}

/**
 * The configuration's disjoint calibration, tuning and verification seeds
 * (`calibration.seeds`, `seeds`, `verifySeeds`; see `planSeeds`).
 * @throws InputError naming `where` and the field when two sets share a seed.
 */
export function configSeeds(config: Pick<TuningConfig, "calibration" | "seeds" | "verifySeeds">, where?: string): SeedSets {
  return planSeeds({ calibration: config.calibration.seeds, tuning: config.seeds, verification: config.verifySeeds }, where);
}

/** The calibration's knob axes (`calibration.knobs`), as `errorCalibrate` takes them. */
export function calibrationKnobAxes(config: Pick<TuningConfig, "calibration">): KnobAxis[] {
  return Object.entries(config.calibration.knobs ?? {}).map(([name, [best, worst]]) => ({ name, best, worst }));
}

/** Seeds as a list: a count K means 0…K−1 (`seedRange`). */
export function seedList(s: number | number[]): number[] {
  return typeof s === "number" ? seedRange(s) : s;
}
