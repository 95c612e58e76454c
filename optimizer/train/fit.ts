import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { check, InputError, Random, stableHash, writeFileAtomic } from "../../common/index.ts";
import type { Augmentation } from "../data/augmentations/Augmentation.ts";
import type { TensorDataset } from "../data/TensorDataset.ts";
import type { Model } from "../onnx/ir.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
import type { LrSchedule } from "./schedules/LrSchedule.ts";
import type { TrainingSession } from "./TrainingSession.ts";

/** A validation metric computed on the host from predictions and targets. */
export interface ValidationMetric {
  /** Name for reports, e.g. `l1` or `iou`. */
  name: string;
  /** `"min"` when lower is better (errors, losses), `"max"` otherwise (IoU, accuracy). */
  mode: "min" | "max";
  /**
   * Metric over a whole validation set: `predictions` and `targets` hold
   * `n × sampleSize` values (the session's loss output and the dataset's targets).
   */
  compute(predictions: Float32Array, targets: Float32Array, n: number): number;
}

/** Options of {@link fit}. */
export interface FitOptions {
  train: TensorDataset;
  /** Evaluated after every epoch with {@link metric}. */
  validation?: TensorDataset;
  /** Epochs to train (in total, counting epochs done before a resume). */
  epochs: number;
  /** Samples per step. The last, smaller batch of an epoch is used unless `dropLast`. */
  batchSize: number;
  /** Learning rate per optimizer step. */
  schedule: LrSchedule;
  /** Seeds shuffling and augmentation (dropout masks use the session's seed). @default 0 */
  seed?: number;
  /** Drop the last partial batch of each epoch. @default false */
  dropLast?: boolean;
  /** Applied in order to every training batch. */
  augment?: Augmentation[];
  /** @default the session's loss, computed in float64 on the validation set ("min") */
  metric?: ValidationMetric;
  /** Stop when the validation metric has not improved by `minDelta` for `patience` epochs. */
  earlyStopping?: {
    patience: number;
    /** @default 0 */
    minDelta?: number;
    /** Put back the weights of the best epoch at the end. @default true */
    restoreBest?: boolean;
  };
  /**
   * Checkpoints in `dir`: `checkpoint.bin` (weights, running statistics,
   * optimizer state, step, history, early-stopping state; written atomically)
   * and `model.onnx` (the inference model so far). Written after every epoch
   * and every `everySteps` steps. A later `fit` with the same `dir` and
   * settings resumes from it and ends with the same weights, bit for bit, as
   * an uninterrupted run.
   */
  checkpoint?: { dir: string; everySteps?: number };
  /** Called after each epoch. */
  onEpoch?: (report: EpochReport) => void;
  /** Called after each step (throwing stops the run; the last checkpoint stays). */
  onStep?: (info: { step: number; epoch: number; loss: number; lr: number }) => void;
}

/** What happened in one epoch. */
export interface EpochReport {
  /** 0-based epoch index. */
  epoch: number;
  /** Mean training loss over the epoch's batches (before each update). */
  trainLoss: number;
  /** Validation metric, when a validation set is given. */
  validation?: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
  /** Optimizer steps taken by the end of the epoch. */
  step: number;
}

/** The outcome of {@link fit}. */
export interface FitResult {
  history: EpochReport[];
  /** Epoch with the best validation metric (−1 without validation). */
  bestEpoch: number;
  bestValidation?: number;
  /** True when early stopping ended the run. */
  stoppedEarly: boolean;
  /** Step a checkpoint was resumed from (undefined for a fresh run). */
  resumedFromStep?: number;
  /** The inference model with the final (or best, see `restoreBest`) weights and running statistics. */
  model: Model;
}

interface CheckpointHeader {
  version: 1;
  config: string;
  step: number;
  epochLossSum: number;
  epochBatches: number;
  history: EpochReport[];
  best: { epoch: number; value: number | null; wait: number };
  stoppedEarly: boolean;
  hasBest: boolean;
}

const BEST_PREFIX = "best/";

/**
 * Trains `session` on `opts.train` for `opts.epochs` epochs: seeded
 * shuffling each epoch, augmentation, one `trainStep` per batch with the
 * scheduled learning rate, validation after each epoch, early stopping and
 * checkpoints that a killed run resumes from exactly.
 *
 * Progress is counted in optimizer steps of the session: epoch and batch
 * follow from `session.step` (0 for a new session, the checkpoint's step
 * after a resume), and the schedule is evaluated at the same step.
 *
 * Determinism: the sample order of epoch `e` comes from `fork("shuffle/e")`
 * of the seed and the augmentation of step `s` from `fork("augment/s")`, so
 * every random draw is a function of (seed, epoch, step) and a resumed run
 * needs no saved generator state.
 */
export async function fit(session: TrainingSession, opts: FitOptions): Promise<FitResult> {
  const where = "fit";
  const { train, validation, batchSize, epochs, schedule } = opts;
  check(Number.isInteger(epochs) && epochs > 0, `${where}.epochs`, () => `must be a positive integer, got ${epochs}`);
  check(Number.isInteger(batchSize) && batchSize > 0, `${where}.batchSize`, () => `must be a positive integer, got ${batchSize}`);
  checkShapes(session, train, `${where}.train`);
  if (validation) checkShapes(session, validation, `${where}.validation`);
  check(!opts.earlyStopping || validation, `${where}.earlyStopping`, () => "needs a validation set");
  const stepsPerEpoch = opts.dropLast ? Math.floor(train.size / batchSize) : Math.ceil(train.size / batchSize);
  check(stepsPerEpoch > 0, `${where}.batchSize`, () => `${batchSize} exceeds the ${train.size} training samples with dropLast`);
  const seed = opts.seed ?? 0;
  const root = new Random(seed);
  const metric = opts.metric ?? lossMetric(session);
  const restoreBest = opts.earlyStopping?.restoreBest ?? true;
  const minDelta = opts.earlyStopping?.minDelta ?? 0;

  const config = stableHash({
    seed,
    batchSize,
    dropLast: !!opts.dropLast,
    train: train.size,
    validation: validation?.size ?? 0,
    schedule: schedule.kind,
    parameters: session.parameters,
    augment: (opts.augment ?? []).map((a) => a.name),
  });

  let state: CheckpointHeader = {
    version: 1,
    config,
    step: session.step,
    epochLossSum: 0,
    epochBatches: 0,
    history: [],
    best: { epoch: -1, value: null, wait: 0 },
    stoppedEarly: false,
    hasBest: false,
  };
  let bestTensors: Map<string, Float32Array> | undefined;
  let resumedFromStep: number | undefined;
  const ckptDir = opts.checkpoint?.dir;
  const ckptPath = ckptDir ? join(ckptDir, "checkpoint.bin") : undefined;
  if (ckptPath && existsSync(ckptPath)) {
    const ckpt = await readCheckpoint<CheckpointHeader>(ckptPath);
    if (ckpt.header.config !== config) {
      throw new InputError(
        ckptPath,
        "was written by a run with different settings (seed, batch size, data, schedule or parameters); use another checkpoint dir",
      );
    }
    state = ckpt.header;
    const weights = new Map<string, Float32Array>();
    bestTensors = state.hasBest ? new Map() : undefined;
    for (const [k, v] of ckpt.tensors) {
      if (k.startsWith(BEST_PREFIX)) bestTensors!.set(k.slice(BEST_PREFIX.length), v);
      else weights.set(k, v);
    }
    session.setState({ step: state.step, tensors: weights }, ckptPath);
    resumedFromStep = state.step;
  }
  if (ckptDir) await mkdir(ckptDir, { recursive: true });

  const save = async () => {
    if (!ckptDir) return;
    const current = session.getState();
    state.step = current.step;
    state.hasBest = !!bestTensors;
    const tensors = new Map(current.tensors);
    if (bestTensors) for (const [k, v] of bestTensors) tensors.set(BEST_PREFIX + k, v);
    await writeCheckpoint(ckptPath!, { header: state, tensors });
    await writeFileAtomic(join(ckptDir, "model.onnx"), encodeModel(session.exportModel()));
  };

  const inputs = new Float32Array(batchSize * train.inputSize);
  const targets = new Float32Array(batchSize * train.targetSize);
  const indices = new Int32Array(batchSize);
  const firstEpoch = Math.floor(session.step / stepsPerEpoch);

  for (let epoch = firstEpoch; epoch < epochs && !state.stoppedEarly; epoch++) {
    const order = root.fork(`shuffle/${epoch}`).shuffle(Array.from({ length: train.size }, (_, i) => i));
    let lr = 0;
    for (let b = session.step - epoch * stepsPerEpoch; b < stepsPerEpoch; b++) {
      const n = Math.min(batchSize, train.size - b * batchSize);
      for (let k = 0; k < n; k++) indices[k] = order[b * batchSize + k];
      train.gather(indices.subarray(0, n), inputs, targets);
      const step = session.step;
      if (opts.augment?.length) {
        const rng = root.fork(`augment/${step}`);
        for (const a of opts.augment) a.apply({ inputs, targets, size: n, dataset: train }, rng);
      }
      lr = schedule.at(step);
      const loss = await session.trainStep({ inputs, targets, size: n }, lr);
      if (!Number.isFinite(loss)) throw new Error(`fit: the training loss became ${loss} at step ${step} (lower the learning rate?)`);
      state.epochLossSum += loss;
      state.epochBatches++;
      opts.onStep?.({ step, epoch, loss, lr });
      const everySteps = opts.checkpoint?.everySteps;
      if (everySteps && session.step % everySteps === 0 && b < stepsPerEpoch - 1) await save();
    }

    const report: EpochReport = {
      epoch,
      trainLoss: state.epochLossSum / state.epochBatches,
      lr,
      step: session.step,
    };
    if (validation) {
      const value = await evaluate(session, validation, metric, batchSize);
      report.validation = value;
      const best = state.best;
      const improved = best.value === null || (metric.mode === "min" ? value < best.value - minDelta : value > best.value + minDelta);
      if (improved) {
        state.best = { epoch, value, wait: 0 };
        if (opts.earlyStopping && restoreBest) bestTensors = session.getState().tensors;
      } else {
        best.wait++;
        if (opts.earlyStopping && best.wait >= opts.earlyStopping.patience) state.stoppedEarly = true;
      }
    }
    state.history.push(report);
    state.epochLossSum = 0;
    state.epochBatches = 0;
    await save();
    opts.onEpoch?.(report);
  }

  if (bestTensors && opts.earlyStopping && restoreBest) {
    session.setState({ step: session.step, tensors: bestTensors });
  }
  return {
    history: state.history,
    bestEpoch: state.best.epoch,
    bestValidation: state.best.value ?? undefined,
    stoppedEarly: state.stoppedEarly,
    resumedFromStep,
    model: session.exportModel(),
  };
}

/** Runs `metric` over `dataset` with inference-mode predictions in batches. */
export async function evaluate(session: TrainingSession, dataset: TensorDataset, metric: ValidationMetric, batchSize = 64): Promise<number> {
  const predictions = new Float32Array(dataset.size * session.targetSize);
  for (let start = 0; start < dataset.size; start += batchSize) {
    const n = Math.min(batchSize, dataset.size - start);
    const out = await session.predict(dataset.inputs.subarray(start * dataset.inputSize, (start + n) * dataset.inputSize), n);
    predictions.set(out, start * session.targetSize);
  }
  return metric.compute(predictions, dataset.targets, dataset.size);
}

/** The session's loss as a validation metric. */
function lossMetric(session: TrainingSession): ValidationMetric {
  return {
    name: session.loss.kind,
    mode: "min",
    compute: (p, t, n) => session.loss.compute(p, t, [n, ...session.targetShape]),
  };
}

function checkShapes(session: TrainingSession, ds: TensorDataset, where: string): void {
  check(
    ds.inputShape.join(",") === session.inputShape.join(","),
    `${where}.inputShape`,
    () => `[${ds.inputShape.join(", ")}] does not match the model input [${session.inputShape.join(", ")}]`,
  );
  check(
    ds.targetSize === session.targetSize,
    `${where}.targetShape`,
    () => `[${ds.targetShape.join(", ")}] does not match the model output [${session.targetShape.join(", ")}]`,
  );
}
