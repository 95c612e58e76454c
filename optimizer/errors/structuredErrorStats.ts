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
  /** Standard deviation of what bias and gain leave unexplained, where the label is at `center`. */
  std: Float64Array;
  /** Growth of that standard deviation per unit of |label − center| (≥ 0): views far off the centre are harder. */
  stdSlope: Float64Array;
  /** Tail weight 1/ν of the residual divided by its spread at its label ({@link fitStudentTail}); 0 = Gaussian. */
  tail: Float64Array;
  /** Time constant (s) of the residual's correlation along closed-loop runs; present when `sequences` were given. */
  correlationTime?: Float64Array;
  /**
   * Standard deviation of an offset held for a whole closed-loop run (a per-run bias: the run's world and
   * the states the loop keeps it in): the spread of the runs' mean residuals beyond what their frame noise
   * leaves in them; present when `sequences` were given.
   */
  runOffset?: Float64Array;
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
 * `bias + gain·(label − center) + residual`, the residual's spread (growing
 * off the centre) and tail weight measured after bias and gain are removed. With `sequences` (the same
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
  const { bias, center, gain, residuals } = affine(predictions, labels, outputs);
  const { std, stdSlope, standardized } = spread(residuals, labels, center, outputs);
  const tail = new Float64Array(outputs);
  for (let k = 0; k < outputs; k++) tail[k] = fitStudentTail(standardized, 1, k, outputs);
  if (!sequences) return { bias, gain, center, std, stdSlope, tail };
  return { bias, gain, center, std, stdSlope, tail, ...sequenceTerms(sequences, outputs) };
}

/**
 * The residual's spread as σ(x) = std + stdSlope·|x − center|: least squares of |r| on |x − center| gives
 * its shape (a Gaussian's mean |r| is σ·√(2/π), a Student-t's another constant multiple, so the shape
 * does not depend on the tails), then the scale makes r / σ(x) of unit variance. A spread that grows off
 * the centre also makes the pooled residual look heavy-tailed; the tails are measured on r / σ(x).
 */
function spread(residuals: Float64Array, labels: Float32Array, center: Float64Array, outputs: number) {
  const std = new Float64Array(outputs);
  const stdSlope = new Float64Array(outputs);
  const standardized = new Float64Array(residuals.length);
  const n = residuals.length / outputs;
  for (let k = 0; k < outputs; k++) {
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let i = k; i < residuals.length; i += outputs) {
      const x = Math.abs(labels[i] - center[k]);
      const y = Math.abs(residuals[i]);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const varX = sxx / n - (sx / n) ** 2;
    let slope = varX > 1e-12 ? (sxy / n - (sx / n) * (sy / n)) / varX : 0;
    let intercept = sy / n - slope * (sx / n);
    // σ(x) stays positive and grows (or is flat) off the centre; otherwise a flat spread.
    if (slope < 0 || intercept <= 0) {
      slope = 0;
      intercept = sy / n;
    }
    let sumSq = 0;
    for (let i = k; i < residuals.length; i += outputs) {
      const z = intercept > 0 ? residuals[i] / (intercept + slope * Math.abs(labels[i] - center[k])) : 0;
      standardized[i] = z;
      sumSq += z * z;
    }
    const scale = Math.sqrt(sumSq / n);
    std[k] = intercept * scale;
    stdSlope[k] = slope * scale;
    if (scale > 0) for (let i = k; i < residuals.length; i += outputs) standardized[i] /= scale;
  }
  return { std, stdSlope, standardized };
}

/**
 * The closed-loop terms per output, from the residuals of bias and gain refit on the runs:
 * - `correlationTime`: τ = −Δt / ln ρ, ρ the lag-1 autocorrelation of the residual about its run's mean
 *   (pooled over runs: an offset held for a run is the next term's, not a slow correlation);
 * - `runOffset`: the spread of an offset held for a whole run, i.e. the variance of the runs' mean
 *   residuals less what their frame noise (AR(1) at that ρ) leaves in a mean of that many frames. A
 *   network whose bias differs from world to world fails in the worlds where it pushes the robot
 *   towards a row, which frame noise of the same size, averaged away by the loop, does not; the
 *   dataset's worlds can show less of it than the loop does (SqueezeNet's heading original and levels 11
 *   and 12: 0.010–0.015 rad over the validation worlds against 0.024–0.026 rad over 20 closed-loop runs),
 *   so it is measured here.
 */
function sequenceTerms(s: ErrorSequences, outputs: number): { correlationTime: Float64Array; runOffset: Float64Array } {
  checkShapes(s.predictions, s.labels, outputs, "error sequences");
  const frames = s.predictions.length / outputs;
  check(
    s.runs.every((r) => Number.isInteger(r) && r > 0) && s.runs.reduce((a, b) => a + b, 0) === frames,
    "error sequences",
    () => `runs of ${s.runs.join(", ")} frames do not add up to the ${frames} frames given`,
  );
  check(s.frameInterval > 0 && Number.isFinite(s.frameInterval), "error sequences", () => `frameInterval must be > 0 s, got ${s.frameInterval}`);
  const { residuals } = affine(s.predictions, s.labels, outputs);
  const correlationTime = new Float64Array(outputs);
  const runOffset = new Float64Array(outputs);
  const means = new Float64Array(s.runs.length);
  for (let k = 0; k < outputs; k++) {
    let start = 0;
    s.runs.forEach((len, j) => {
      let sum = 0;
      for (let f = start; f < start + len; f++) sum += residuals[f * outputs + k];
      means[j] = sum / len;
      start += len;
    });
    let within = 0;
    let lagged = 0;
    let dof = 0;
    start = 0;
    s.runs.forEach((len, j) => {
      for (let f = start; f < start + len; f++) {
        const c = residuals[f * outputs + k] - means[j];
        within += c * c;
        if (f > start) lagged += c * (residuals[(f - 1) * outputs + k] - means[j]);
      }
      dof += len - 1;
      start += len;
    });
    const rho = within > 0 ? lagged / within : 0;
    correlationTime[k] = rho > 0 && rho < 1 ? -s.frameInterval / Math.log(rho) : rho >= 1 ? 3600 : 0;
    runOffset[k] = s.runs.length < 2 || dof === 0 ? 0 : offsetSpread(means, s.runs, within / dof, rho);
  }
  return { correlationTime, runOffset };
}

/** √(variance of the run means − the variance AR(1) frame noise of variance `frameVar` and lag-1 ρ leaves in them), ≥ 0. */
function offsetSpread(means: Float64Array, runs: readonly number[], frameVar: number, lag1: number): number {
  const rho = Math.min(0.99, Math.max(0, lag1));
  let mean = 0;
  for (const m of means) mean += m;
  mean /= means.length;
  let meanVar = 0;
  for (const m of means) meanVar += (m - mean) ** 2;
  meanVar /= means.length - 1;
  let noise = 0;
  for (const len of runs) noise += (frameVar * (1 + rho)) / (1 - rho) / len;
  noise /= runs.length;
  return Math.sqrt(Math.max(0, meanVar - noise));
}
