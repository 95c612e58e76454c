/**
 * Regression error metrics. All pool over every element: with N samples of
 * `k` outputs, predictions and labels are both N×k and the error of element
 * `i` is `e_i = predictions[i] − labels[i]` (in the output's units, e.g.
 * radians for heading). All are lower-better (higher is worse).
 */
import { check } from "../../common/index.ts";
import { defineMetric, type MetricFunction } from "./MetricFunction.ts";

function checkPaired(predictions: Float32Array, labels: Float32Array, where: string): void {
  check(
    predictions.length === labels.length,
    where,
    () => `predictions have ${predictions.length} values but labels have ${labels.length}; select the label column(s) matching the model output`,
  );
  check(predictions.length > 0, where, () => "no samples to evaluate");
}

/** Mean absolute error, `mean |e|`. Lower-better. */
export const l1Error: MetricFunction = defineMetric("l1Error", "lower-better", (p, y) => {
  checkPaired(p, y, "l1Error");
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i] - y[i]);
  return sum / p.length;
});

/** Root-mean-square error, `sqrt(mean e²)` (same units as the output). Lower-better. */
export const l2Error: MetricFunction = defineMetric("l2Error", "lower-better", (p, y) => {
  checkPaired(p, y, "l2Error");
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const e = p[i] - y[i];
    sum += e * e;
  }
  return Math.sqrt(sum / p.length);
});

/**
 * Absolute bias, `|mean e|`. Lower-better. (The signed bias is what the
 * error family records; as a budget axis only its size matters.)
 */
export const bias: MetricFunction = defineMetric("bias", "lower-better", (p, y) => {
  checkPaired(p, y, "bias");
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i] - y[i];
  return Math.abs(sum / p.length);
});

/** Population standard deviation of the error, `sqrt(mean (e − mean e)²)`. Lower-better. */
export const stdDev: MetricFunction = defineMetric("stdDev", "lower-better", (p, y) => {
  checkPaired(p, y, "stdDev");
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i] - y[i];
  const mean = sum / p.length;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p[i] - y[i] - mean;
    sq += d * d;
  }
  return Math.sqrt(sq / p.length);
});

/**
 * The `p`-th percentile (0–100) of the absolute error `|e|`, linearly
 * interpolated between order statistics (numpy's default). Lower-better.
 *
 * @example percentileError(95) // the 95th-percentile absolute error
 */
export function percentileError(p: number): MetricFunction {
  check(Number.isFinite(p) && p >= 0 && p <= 100, "percentileError", () => `percentile must be in [0, 100], got ${p}`);
  return defineMetric(`percentileError(${p})`, "lower-better", (pred, y) => {
    checkPaired(pred, y, `percentileError(${p})`);
    const abs = new Float64Array(pred.length);
    for (let i = 0; i < pred.length; i++) abs[i] = Math.abs(pred[i] - y[i]);
    abs.sort();
    const rank = (p / 100) * (abs.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.min(lo + 1, abs.length - 1);
    return abs[lo] + (rank - lo) * (abs[hi] - abs[lo]);
  });
}
