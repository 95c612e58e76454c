import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { InputError, parseInput } from "../../common/index.ts";
import {
  accuracy,
  adam,
  asModelRunner,
  checkNetworkShapes,
  bceWithLogitsLoss,
  CosineSchedule,
  l1Loss,
  memoizeLevels,
  type FinetuneRecipe,
  bias,
  Constraints,
  ErrorMetric,
  iou,
  l1Error,
  l2Error,
  loadDataset,
  loadModel,
  LowRankFactorizer,
  maskMetric,
  maxMinFps,
  minUtilization,
  precision,
  recall,
  stdDev,
  StructuredPruner,
  type Approximator,
  type MetricFunction,
  type ModelRunner,
  type NnModel,
  type Objective,
  type TensorDataset,
  type TuningKnob,
} from "../../optimizer/index.ts";
import { ApplicationQos } from "../../pipelines/index.ts";
import { labelColumn, poolMasks } from "../models/datasetViews.ts";
import { stridedSubset } from "./stridedSubset.ts";

const METRICS: Record<string, MetricFunction> = {
  l1Error,
  l2Error,
  bias,
  stdDev,
  iou,
  recall,
  precision,
  accuracy,
  // Lane networks emit logits: lane where > 0, as the closed loop's ONNX lane perception reads them.
  "iou@0": maskMetric("iou", { threshold: 0 }),
  "recall@0": maskMetric("recall", { threshold: 0 }),
  "precision@0": maskMetric("precision", { threshold: 0 }),
};

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
  /** ONNX file per NN name (CropFollow: heading, distance; GEM: lanenet). */
  models: z.record(z.string().min(1), z.string().min(1, { error: "expected a path to an .onnx file" })).refine((m) => Object.keys(m).length > 0, {
    error: "needs at least one model",
  }),
  /** Dataset the candidates' metrics are measured on (labels.json format). */
  dataset: z.strictObject({ dir: z.string().min(1), labels: z.string().min(1).optional() }),
  /** Training dataset for approximators with `finetune`; `samples` takes every k-th sample. */
  train: z.strictObject({ dir: z.string().min(1), labels: z.string().min(1).optional(), samples: z.number().int().positive().optional() }).optional(),
  /** Metric per NN name (`iou@0` etc.: mask metrics on logits). @default l1Error (cropfollow), iou@0 (gem) */
  metrics: z.record(z.string(), z.enum(Object.keys(METRICS) as [string, ...string[]])).optional(),
  /** Approximators, each yielding nSteps levels per NN. */
  approximators: z
    .array(
      z.discriminatedUnion(
        "method",
        [
          z.strictObject({ method: z.literal("prune"), nSteps: z.number().int().positive(), pruneFraction: fraction, finetune: finetuneSchema.optional() }),
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
    })
    .default({ iters: 12, seeds: 2 }),
  /** QoS seeds of the guided search: a count K (0…K−1) or the list. */
  seeds: seeds.default(2),
  /** Fresh seeds verifying the choice. @default as many as `seeds`, after them */
  verifySeeds: seeds.optional(),
  /** @default max-min-fps (cropfollow), min-utilization (gem) */
  objective: z.enum(["max-min-fps", "min-utilization"]).optional(),
  /** Perception rate the min-utilization objective assumes when no fps knob is searched. @default 10 (cropfollow), 20 (gem) */
  fps: z.number().positive().optional(),
  /** Knob values searched with the NNs; the first is the original setting. */
  knobs: z.strictObject({ fps: z.array(z.number().positive()).min(1) }).optional(),
  maxQosRuns: z.number().int().nonnegative().optional(),
  /** Timed batch-1 runs per candidate latency. */
  latencyRuns: z.number().int().positive().default(20),
  /** World preset name or file. @default per pipeline */
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
    if (!(nn in config.models)) throw new InputError(`${path}: metrics.${nn}`, `not one of the models (${Object.keys(config.models).join(", ")})`);
  }
  if (typeof config.world === "string" && config.world.endsWith(".json")) config.world = at(config.world);
  return config;
}

/** Everything a configuration sets up for a pipeline. */
export interface TuningSetup {
  nns: (ModelRunner & { readonly nn: NnModel })[];
  dataset: TensorDataset;
  metrics: ErrorMetric[];
  /** Each NN's approximators (memoized: calibration and tuning share the retrained levels). */
  approximators: Record<string, Approximator[]>;
  qos: ApplicationQos;
  objective: Objective;
  knobs: TuningKnob[];
  /** Closes the QoS worker pool and the model sessions. */
  close(): Promise<void>;
}

/** Loads the models and the dataset, and builds metrics, approximators, the QoS oracle and the objective. */
export async function setupTuning(config: TuningConfig, pipeline: "cropfollow" | "gem", where: string): Promise<TuningSetup> {
  const qos = new ApplicationQos({
    pipeline,
    world: config.world,
    target: config.target as ConstructorParameters<typeof ApplicationQos>[0]["target"],
    run: config.run as ConstructorParameters<typeof ApplicationQos>[0]["run"],
    workers: config.workers,
  });
  const expected = qos.nnNames();
  for (const nn of Object.keys(config.models)) {
    if (!expected.includes(nn)) throw new InputError(`${where}: models.${nn}`, `the ${pipeline} pipeline has NNs ${expected.join(", ")}`);
  }
  for (const nn of expected) {
    if (!(nn in config.models)) throw new InputError(`${where}: models`, `missing "${nn}" (the ${pipeline} pipeline needs ${expected.join(", ")})`);
  }
  const nns: TuningSetup["nns"] = [];
  let dataset = await loadDataset(config.dataset.dir, config.dataset.labels!);
  for (const nn of expected) {
    const model = await loadModel(config.models[nn]);
    // The wrong network for the application is refused here, naming both shapes, not deep inside a run.
    checkNetworkShapes(
      model,
      {
        input: dataset.inputShape,
        outputValues: dataset.targetKind === "mask" ? undefined : dataset.labelNames?.includes(nn) ? 1 : dataset.targetSize,
        inputSource: `the ${pipeline} dataset's images`,
        outputSource: `the dataset's labels`,
      },
      `${where}: models.${nn}`,
      `network "${nn}" (${config.models[nn]})`,
    );
    nns.push(asModelRunner(nn, model));
  }
  if (dataset.targetKind === "mask") dataset = await masksAtOutputSize(dataset, nns[0], where);
  const metrics = nns.map((nn) => new ErrorMetric(nn, METRICS[config.metrics?.[nn.name] ?? (pipeline === "gem" ? "iou@0" : "l1Error")]));
  const train = config.train ? stridedSubset(await loadDataset(config.train.dir, config.train.labels!), config.train.samples ?? Infinity) : undefined;
  const approximators: Record<string, Approximator[]> = {};
  for (const nn of nns) {
    const trainView = train && (train.targetKind === "mask" ? await masksAtOutputSize(train, nn, where) : train.labelNames?.includes(nn.name) ? labelColumn(train, nn.name) : train);
    approximators[nn.name] = config.approximators.map((a) => {
      const finetune: FinetuneRecipe | undefined =
        a.finetune && trainView
          ? {
              train: trainView,
              loss: trainView.targetKind === "mask" ? bceWithLogitsLoss() : l1Loss(),
              optimizer: adam(),
              schedule: new CosineSchedule({ lr: a.finetune.lr, totalSteps: Math.ceil(trainView.size / a.finetune.batchSize) * a.finetune.epochs }),
              batchSize: a.finetune.batchSize,
              epochs: a.finetune.epochs,
            }
          : undefined;
      return memoizeLevels(
        a.method === "prune"
          ? new StructuredPruner({ nSteps: a.nSteps, pruneFraction: a.pruneFraction, finetune, onWarning: (w) => console.warn(`warning: ${w}`) })
          : new LowRankFactorizer({ nSteps: a.nSteps, rankFraction: a.rankFraction, finetune }),
      );
    });
  }
  const defaultFps = config.fps ?? (pipeline === "gem" ? 20 : 10);
  const objectiveName = config.objective ?? (pipeline === "gem" ? "min-utilization" : "max-min-fps");
  const objective = objectiveName === "min-utilization" ? minUtilization(defaultFps) : maxMinFps;
  const knobs: TuningKnob[] = config.knobs ? [{ name: "fps", values: config.knobs.fps, direction: "higher-better" }] : [];
  return {
    nns,
    dataset,
    metrics,
    approximators,
    qos,
    objective,
    knobs,
    async close() {
      await qos.close();
      for (const nn of nns) await nn.nn.dispose();
    },
  };
}

/**
 * Lane networks may predict at a fraction of the input size: the dataset's
 * masks are max-pooled to the model's output size so metrics compare like
 * with like (a pixel is lane when any pixel of its block is).
 */
async function masksAtOutputSize(dataset: TensorDataset, nn: ModelRunner, where: string): Promise<TensorDataset> {
  const out = await nn.run(dataset.images.subarray(0, dataset.inputSize), 1);
  if (out.length === dataset.targetSize) return dataset;
  const factor = Math.round(Math.sqrt(dataset.targetSize / out.length));
  if (factor < 2 || factor * factor * out.length !== dataset.targetSize) {
    throw new InputError(`${where}: dataset`, `masks have ${dataset.targetSize} pixels, model ${nn.name} predicts ${out.length}; not a whole downscale`);
  }
  return poolMasks(dataset, factor);
}

/** Reads a constraints.json; errors name the file. */
export function readConstraints(path: string): Constraints {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new InputError(path, `cannot read the constraints: ${(e as Error).message}`);
  }
  return Constraints.fromJSON(json, path);
}

/** Seeds as a list: a count K means 0…K−1. */
export function seedList(s: number | number[]): number[] {
  return typeof s === "number" ? Array.from({ length: s }, (_, k) => k) : s;
}
