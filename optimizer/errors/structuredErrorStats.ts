import { check } from "../../common/index.ts";
import type { ErrorSequences } from "./ErrorSequences.ts";
import { fitStudentTail } from "./fitStudentTail.ts";

/** Per-output statistics of a regression NN's error under the structured model (units of each output). */
export interface StructuredErrorStats {
  /** Mean error `mean(prediction − label)`. */
  bias: Float64Array;
  /** Slope of the error against the label (least squares): −1 is an output that ignores the input. */
  gain: Float64Array;
  /** Mean label: the point the gain term turns about. */
  center: Float64Array;
  /** Standard deviation of what bias and gain leave unexplained. */
  std: Float64Array;
  /** Tail weight 1/ν of that residual ({@link fitStudentTail}); 0 = Gaussian. */
  tail: Float64Array;
  /** Time constant (s) of the residual's correlation along closed-loop runs; present when `sequences` were given. */
  correlationTime?: Float64Array;
}

/** Means and least-squares slope of e = prediction − label against the label, per output. */
function affine(predictions: Float32Array, labels: Float32Array, outputs: number) {
  const n = predictions.length / outputs;
  const bias = new Float64Array(outputs);
  const center = new Float64Array(outputs);
  const gain = new Float64Array(outputs);
  for (let i = 0; i < predictions.length; i++) {
    bias[i % outputs] += predictions[i] - labels[i];
    center[i % outputs] += labels[i];
  }
  for (let k = 0; k < outputs; k++) {
    bias[k] /= n;
    center[k] /= n;
  }
  const sxy = new Float64Array(outputs);
  const sxx = new Float64Array(outputs);
  for (let i = 0; i < predictions.length; i++) {
    const k = i % outputs;
    const dx = labels[i] - center[k];
    sxy[k] += dx * (predictions[i] - labels[i] - bias[k]);
    sxx[k] += dx * dx;
  }
  for (let k = 0; k < outputs; k++) gain[k] = sxx[k] > 1e-12 * n ? sxy[k] / sxx[k] : 0;
  const residuals = new Float64Array(predictions.length);
  for (let i = 0; i < predictions.length; i++) {
    const k = i % outputs;
    residuals[i] = predictions[i] - labels[i] - bias[k] - gain[k] * (labels[i] - center[k]);
  }
  return { bias, center, gain, residuals };
}

function checkShapes(predictions: Float32Array, labels: Float32Array, outputs: number, what: string): void {
  check(predictions.length === labels.length, what, () => `predictions have ${predictions.length} values but labels have ${labels.length}`);
  check(
    Number.isInteger(outputs) && outputs > 0 && predictions.length % outputs === 0 && predictions.length > 0,
    what,
    () => `${predictions.length} values do not split into rows of ${outputs} outputs`,
  );
}

/**
 * The structured error model's terms for each of the `outputs` columns of
 * independent samples (a dataset; N×outputs, sample-major): the error is
 * `bias + gain·(label − center) + residual`, the residual's spread and tail
 * weight measured after bias and gain are removed. With `sequences` (the same
 * network along closed-loop runs) also the residual's correlation time: from
 * the lag-1 autocorrelation ρ of the residual within runs (bias and gain refit
 * on the runs, whose states differ from the dataset's), τ = −Δt / ln ρ (0
 * when ρ ≤ 0).
 */
export function structuredErrorStats(
  predictions: Float32Array,
  labels: Float32Array,
  outputs = 1,
  sequences?: ErrorSequences,
): StructuredErrorStats {
  checkShapes(predictions, labels, outputs, "regression error samples");
  const n = predictions.length / outputs;
  const { bias, center, gain, residuals } = affine(predictions, labels, outputs);
  const std = new Float64Array(outputs);
  for (let i = 0; i < residuals.length; i++) std[i % outputs] += residuals[i] * residuals[i];
  for (let k = 0; k < outputs; k++) std[k] = Math.sqrt(std[k] / n);
  const tail = new Float64Array(outputs);
  for (let k = 0; k < outputs; k++) tail[k] = fitStudentTail(residuals, std[k], k, outputs);
  if (!sequences) return { bias, gain, center, std, tail };
  return { bias, gain, center, std, tail, correlationTime: correlationTimes(sequences, outputs) };
}

/** τ per output from the pooled lag-1 autocorrelation of the closed-loop residuals within runs. */
function correlationTimes(s: ErrorSequences, outputs: number): Float64Array {
  checkShapes(s.predictions, s.labels, outputs, "error sequences");
  const frames = s.predictions.length / outputs;
  check(
    s.runs.every((r) => Number.isInteger(r) && r > 0) && s.runs.reduce((a, b) => a + b, 0) === frames,
    "error sequences",
    () => `runs of ${s.runs.join(", ")} frames do not add up to the ${frames} frames given`,
  );
  check(s.frameInterval > 0 && Number.isFinite(s.frameInterval), "error sequences", () => `frameInterval must be > 0 s, got ${s.frameInterval}`);
  const { residuals } = affine(s.predictions, s.labels, outputs);
  const tau = new Float64Array(outputs);
  for (let k = 0; k < outputs; k++) {
    let num = 0;
    let den = 0;
    let start = 0;
    for (const len of s.runs) {
      for (let f = start; f < start + len; f++) {
        const r = residuals[f * outputs + k];
        den += r * r;
        if (f > start) num += r * residuals[(f - 1) * outputs + k];
      }
      start += len;
    }
    const rho = den > 0 ? num / den : 0;
    tau[k] = rho > 0 && rho < 1 ? -s.frameInterval / Math.log(rho) : rho >= 1 ? 3600 : 0;
  }
  return tau;
}
