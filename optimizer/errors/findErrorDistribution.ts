import { check, InputError } from "../../common/index.ts";
import { ErrorMetric, type MetricPairs } from "../metrics/ErrorMetric.ts";
import type { MetricFunction } from "../metrics/MetricFunction.ts";
import { iou } from "../metrics/laneMask.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import { l1Error } from "../metrics/regression.ts";
import type { Approximator } from "../approx/Approximator.ts";
import type { Model } from "../onnx/ir.ts";
import { loadModel } from "../runtime/loadModel.ts";
import { asModelRunner } from "../metrics/asModelRunner.ts";
import { ErrorDistribution } from "./ErrorDistribution.ts";
import {
  REGRESSION_STRUCTURE_TERMS,
  type ErrorFamily,
  type LaneMaskMeasurement,
  type RegressionErrorModel,
  type RegressionMeasurement,
  type RegressionOutputFit,
} from "./ErrorFamily.ts";
import type { ErrorSequences } from "./ErrorSequences.ts";
import { LANE_STRUCTURE_TERMS, laneMaskErrorStats, type LaneMaskStatsOptions } from "./laneMaskErrorStats.ts";
import { PolynomialFit } from "./PolynomialFit.ts";
import { regressionErrorStats } from "./regressionErrorStats.ts";
import { structuredErrorStats } from "./structuredErrorStats.ts";
import { groupMetrics, worldSpreadOf } from "./worldSpread.ts";

/**
 * Predictions of one (approximated) NN against its labels, measured at one
 * metric level. The raw material of an error family.
 */
export interface ErrorSample {
  /** NN name (the family key). */
  nn: string;
  /** The NN's metric value on these predictions (e.g. its L1 error). */
  level: number;
  /** N×outputs (regression) or N×H×W scores (lane mask). */
  predictions: Float32Array;
  /** Same layout as `predictions`. */
  labels: Float32Array;
  /** @default "regression" */
  kind?: "regression" | "lane-mask";
  /** Regression outputs per sample. @default 1 */
  outputs?: number;
  /** Lane masks: [H, W] (required). */
  shape?: [number, number];
  /**
   * Lane masks: the score at or above which a predicted pixel is lane, as the level's metric reads it
   * (0 for logits). @default `laneMask.threshold` of the fit options, else 0.5
   */
  threshold?: number;
  /**
   * Regression, `structured` model: the same network's predictions along closed-loop runs, from which
   * the noise's correlation time and the per-run offset are measured (absent: the family has neither).
   */
  sequences?: ErrorSequences;
  /**
   * Regression: the metric within each world the samples come from (`groupMetrics`); with it the
   * measurement records its world spread, and a family whose every sample has one fits `worldSpread`.
   */
  groupLevels?: number[];
}

/** `{ threshold }` when a metric or sample states one, else nothing (so a default applies). */
function thresholdOf(x: { threshold?: number }): { threshold?: number } {
  return x.threshold === undefined ? {} : { threshold: x.threshold };
}

/**
 * One model's {@link ErrorSample}: its predictions against the labels (`MetricPairs`) at the level
 * `fn` gives them; a lane-mask sample with `shape`, else a regression one, with its closed-loop
 * `sequences` and, with `groups`, its metric in each group (world) of samples.
 */
export function errorSampleOf(
  nn: string,
  pairs: MetricPairs,
  fn: MetricFunction,
  extra: { shape?: [number, number]; sequences?: ErrorSequences; groups?: ArrayLike<number> } = {},
): ErrorSample {
  const { predictions, labels, count } = pairs;
  const level = fn(predictions, labels, count);
  if (extra.shape) return { nn, level, predictions, labels, kind: "lane-mask", shape: extra.shape, ...thresholdOf(fn) };
  return {
    nn,
    level,
    predictions,
    labels,
    outputs: predictions.length / count,
    ...(extra.sequences ? { sequences: extra.sequences } : {}),
    ...(extra.groups ? { groupLevels: groupMetrics(fn, predictions, labels, extra.groups) } : {}),
  };
}

/** Options shared by {@link findErrorDistribution} and `findErrorDistribution.fromSamples`. */
export interface ErrorFitOptions {
  /** Polynomial degree of every fitted curve. @default "auto" (see {@link PolynomialFit.fit}) */
  degree?: 0 | 1 | 2 | "auto";
  /** Name of the metric defining each NN's level (recorded in the family, checked by errorCalibrate). */
  metrics?: Record<string, string>;
  /** Output names per regression NN. @default the NN name for one output, `${nn}[k]` for several */
  outputNames?: Record<string, string[]>;
  /** Lane-mask measurement options. */
  laneMask?: LaneMaskStatsOptions;
  /** How regression errors are modelled (see `REGRESSION_ERROR_MODELS`). @default "gaussian" */
  regressionModel?: RegressionErrorModel;
}

/** Options of {@link findErrorDistribution}. */
export interface FindErrorDistributionOptions extends Omit<ErrorFitOptions, "metrics"> {
  /**
   * The metric defining each NN's level. @default `l1Error` for regression
   * NNs, `iou` for lane-mask NNs (on the label column named like the NN, if any)
   */
  metrics?: ErrorMetric[];
  /** Lane-mask NNs and their mask shape [H, W]. @default an NN whose output per sample is the input's H×W */
  masks?: Record<string, [number, number]>;
  /** Also measure each unapproximated NN (the zero-approximation point). @default true */
  includeBaseline?: boolean;
  /**
   * Makes an approximated model runnable; the result is disposed after it is
   * measured when it has `dispose`. @default an onnxruntime session (`loadModel`)
   */
  instantiate?: (model: Model, nn: ModelRunner) => Promise<ModelRunner & { dispose?(): Promise<void> | void }>;
  /**
   * With `regressionModel: "structured"`: runs a regression NN's model (the original and every level) in
   * the closed loop and returns its predictions along the runs, for the noise's correlation time. The
   * optimizer cannot run the application itself; an application's tuning setup supplies this. @default none
   * (no correlation term)
   */
  sequences?: (nn: string, model: Model) => Promise<ErrorSequences | undefined>;
  /**
   * The world (group 0…G−1, at least 2) each dataset sample was rendered in: regression families then
   * fit how much the metric varies from world to world (`RegressionErrorFamily.worldSpread`), which the
   * calibration injects as errors drawn per run. @default none (errors at the pooled metric in every run)
   */
  groups?: ArrayLike<number>;
}

async function instantiateWithOrt(model: Model, nn: ModelRunner): Promise<ModelRunner & { dispose(): Promise<void> }> {
  const loaded = await loadModel(model);
  return { ...asModelRunner(nn.name, loaded), dispose: () => loaded.dispose() };
}

/**
 * Runs each approximator at each of its levels on each NN (its ONNX
 * `model`), measures the prediction errors on `dataset`, and fits each NN's
 * error family against its metric level.
 *
 * @example
 * const errorDist = await findErrorDistribution([pruner], [heading, distance], dataset);
 * errorDist.injectionAt({ heading: 0.1, distance: 0.05 });
 */
export async function findErrorDistribution(
  approximators: readonly Approximator[],
  nns: readonly ModelRunner[],
  dataset: LabeledDataset,
  options: FindErrorDistributionOptions = {},
): Promise<ErrorDistribution> {
  check(nns.length > 0, "findErrorDistribution", () => "needs at least one NN");
  const samples: ErrorSample[] = [];
  const metricNames: Record<string, string> = {};
  const [, h, w] = dataset.inputShape.length === 3 ? dataset.inputShape : [0, 0, 0];
  for (const nn of nns) {
    const maskShape = options.masks?.[nn.name];
    const measure = async (model: ModelRunner, onnx: Model | undefined, metric: ErrorMetric | undefined): Promise<ErrorMetric> => {
      const probe = metric ?? new ErrorMetric(nn, l1Error);
      const pairs = await probe.pairsOn(model, dataset);
      const width = pairs.predictions.length / pairs.count;
      const shape = maskShape ?? (width > 1 && width === h * w ? ([h, w] as [number, number]) : undefined);
      const chosen = metric ?? (shape ? new ErrorMetric(nn, iou) : probe);
      const sequences =
        !shape && options.regressionModel === "structured" && options.sequences && onnx ? await options.sequences(nn.name, onnx) : undefined;
      samples.push(errorSampleOf(nn.name, pairs, chosen.fn, { shape, sequences, groups: options.groups }));
      return chosen;
    };
    let metric = options.metrics?.find((m) => m.model.name === nn.name);
    if (options.includeBaseline ?? true) metric = await measure(nn, nn.model, metric);
    for (const approximator of approximators) {
      const source = nn.model;
      if (!source) throw new InputError(`NN ${nn.name}`, `has no ONNX model for approximator ${approximator.name} to transform`);
      for await (const { model } of approximator.levels(source)) {
        const runner = await (options.instantiate ?? instantiateWithOrt)(model, nn);
        try {
          metric = await measure(runner, model, metric);
        } finally {
          await runner.dispose?.();
        }
      }
    }
    if (metric) metricNames[nn.name] = metric.metricName;
  }
  return fromSamples(samples, { ...options, metrics: metricNames });
}

/**
 * Fits error families to error samples measured elsewhere (or synthesized):
 * one family per NN, each curve fitted across that NN's sample levels.
 */
function fromSamples(samples: readonly ErrorSample[], options: ErrorFitOptions = {}): ErrorDistribution {
  check(samples.length > 0, "findErrorDistribution.fromSamples", () => "no samples");
  const byNn = new Map<string, ErrorSample[]>();
  for (const s of samples) {
    check(Number.isFinite(s.level), `sample of ${s.nn}`, () => `level must be finite, got ${s.level}`);
    const list = byNn.get(s.nn) ?? [];
    list.push(s);
    byNn.set(s.nn, list);
  }
  const degree = options.degree ?? "auto";
  const families: Record<string, ErrorFamily> = {};
  for (const [nn, list] of byNn) {
    const kind = list[0].kind ?? "regression";
    check(
      list.every((s) => (s.kind ?? "regression") === kind),
      `samples of ${nn}`,
      () => "mix regression and lane-mask samples",
    );
    const levels = list.map((s) => s.level);
    const levelRange: [number, number] = [Math.min(...levels), Math.max(...levels)];
    const metric = options.metrics?.[nn];
    if (kind === "regression") {
      const outputs = list[0].outputs ?? 1;
      check(
        list.every((s) => (s.outputs ?? 1) === outputs),
        `samples of ${nn}`,
        () => "disagree on the number of outputs",
      );
      const model = options.regressionModel ?? "gaussian";
      const spreadOf = (s: ErrorSample) => (s.groupLevels ? { worldSpread: worldSpreadOf(s.groupLevels, s.level) } : {});
      const measured: RegressionMeasurement[] = list.map((s) => {
        if (model === "gaussian") {
          const stats = regressionErrorStats(s.predictions, s.labels, outputs);
          return { level: s.level, bias: Array.from(stats.bias), std: Array.from(stats.std), ...spreadOf(s) };
        }
        const stats = structuredErrorStats(s.predictions, s.labels, outputs, s.sequences);
        return {
          ...spreadOf(s),
          level: s.level,
          bias: Array.from(stats.bias),
          std: Array.from(stats.std),
          gain: Array.from(stats.gain),
          stdSlope: Array.from(stats.stdSlope),
          center: Array.from(stats.center),
          tail: Array.from(stats.tail),
          ...(stats.correlationTime ? { correlationTime: Array.from(stats.correlationTime) } : {}),
          ...(stats.runOffset ? { runOffset: Array.from(stats.runOffset) } : {}),
        };
      });
      const names = options.outputNames?.[nn] ?? (outputs === 1 ? [nn] : Array.from({ length: outputs }, (_, k) => `${nn}[${k}]`));
      check(names.length === outputs, `outputNames.${nn}`, () => `has ${names.length} names for ${outputs} outputs`);
      // Each term against the levels of the measurements that have it (correlation only where sequences were run).
      const fit = (key: "bias" | "std" | (typeof REGRESSION_STRUCTURE_TERMS)[number], k: number) => {
        const have = measured.filter((m) => m[key] !== undefined);
        return have.length === 0
          ? undefined
          : PolynomialFit.fit(
              have.map((m) => m.level),
              have.map((m) => m[key]![k]),
              degree,
            ).toJSON();
      };
      families[nn] = {
        kind,
        ...(model === "gaussian" ? {} : { model }),
        ...(metric ? { metric } : {}),
        levelRange,
        outputs: names.map((name, k) => {
          const out: RegressionOutputFit = { name, bias: fit("bias", k)!, std: fit("std", k)! };
          if (model === "gaussian") return out;
          out.center = measured.reduce((a, m) => a + m.center![k], 0) / measured.length;
          for (const t of REGRESSION_STRUCTURE_TERMS) {
            const f = fit(t, k);
            if (f) out[t] = f;
          }
          return out;
        }),
        ...(measured.every((m) => m.worldSpread !== undefined)
          ? {
              worldSpread: PolynomialFit.fit(
                levels,
                measured.map((m) => m.worldSpread!),
                degree,
              ).toJSON(),
            }
          : {}),
        measured,
      };
    } else {
      const shape = list[0].shape;
      if (!shape) throw new InputError(`samples of ${nn}`, "lane-mask samples need shape [H, W]");
      check(
        list.every((s) => s.shape?.[0] === shape[0] && s.shape?.[1] === shape[1]),
        `samples of ${nn}`,
        () => "disagree on the mask shape",
      );
      const measured: LaneMaskMeasurement[] = list.map((s) => ({
        level: s.level,
        ...laneMaskErrorStats(s.predictions, s.labels, shape, { ...options.laneMask, ...thresholdOf(s) }),
      }));
      const fit = (key: keyof Omit<LaneMaskMeasurement, "level">) =>
        PolynomialFit.fit(
          levels,
          measured.map((m) => m[key] ?? 0),
          degree,
        ).toJSON();
      families[nn] = {
        kind,
        ...(metric ? { metric } : {}),
        levelRange,
        shape: [shape[0], shape[1]],
        dropRate: fit("dropRate"),
        falsePositiveRate: fit("falsePositiveRate"),
        shiftPx: fit("shiftPx"),
        shiftStdPx: fit("shiftStdPx"),
        ...Object.fromEntries(LANE_STRUCTURE_TERMS.map((t) => [t, fit(t)])),
        measured,
      };
    }
  }
  return new ErrorDistribution(families);
}

findErrorDistribution.fromSamples = fromSamples;
