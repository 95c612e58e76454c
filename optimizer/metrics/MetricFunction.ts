/**
 * Which way a metric improves. Calibration axes run from "no error" to
 * "most error", so every axis needs to know this.
 */
export type MetricDirection = "lower-better" | "higher-better";

/**
 * A metric on predictions against labels.
 *
 * `predictions` and `labels` are sample-major Float32Arrays; `count` is the
 * number of samples N when the caller knows it (metrics that pool over all
 * elements ignore it, `accuracy` uses it to find the class count).
 * Returns one number; {@link MetricFunction.direction} says whether higher is
 * worse.
 */
export interface MetricFunction {
  (predictions: Float32Array, labels: Float32Array, count?: number): number;
  /** Short identifier, e.g. `l1Error`, `percentileError(95)`. */
  readonly metricName: string;
  /** Which way the metric improves. */
  readonly direction: MetricDirection;
  /**
   * Mask metrics: the score at or above which a predicted pixel is lane. Error
   * families measured at this metric's levels read the masks at the same
   * threshold, or a logit network (lane where > 0) would look lost wherever its
   * lane scores stay below 0.5.
   */
  readonly threshold?: number;
}

/** Attaches a name and direction to a plain metric function. */
export function defineMetric(
  metricName: string,
  direction: MetricDirection,
  fn: (predictions: Float32Array, labels: Float32Array, count?: number) => number,
): MetricFunction {
  return Object.assign((predictions: Float32Array, labels: Float32Array, count?: number) => fn(predictions, labels, count), {
    metricName,
    direction,
  });
}
