import { check } from "../../common/index.ts";
import type { MetricDirection } from "../metrics/MetricFunction.ts";

/**
 * One axis of the metric-budget space: a metric and the range searched,
 * from `best` (least error) to `worst` (most error), in the metric's units.
 *
 * The search works in unit coordinates `u = (value − best) / (worst − best)`,
 * so 0 is "no error" and 1 "most error" whatever the metric's direction.
 */
export interface CalibrationAxis {
  /** Metric name, e.g. `heading.l1Error`. */
  name: string;
  direction: MetricDirection;
  /** Metric value with the least error searched (unit coordinate 0). */
  best: number;
  /** Metric value with the most error searched (unit coordinate 1). */
  worst: number;
}

/** Throws naming the axis unless its range is finite, non-empty and agrees with its direction. */
export function checkAxis(axis: CalibrationAxis): void {
  const where = `axis ${axis.name}`;
  check(Number.isFinite(axis.best) && Number.isFinite(axis.worst), where, () => `best/worst must be finite, got ${axis.best}/${axis.worst}`);
  check(
    axis.direction === "lower-better" ? axis.worst > axis.best : axis.worst < axis.best,
    where,
    () =>
      `a ${axis.direction} metric needs worst ${axis.direction === "lower-better" ? ">" : "<"} best, got best ${axis.best}, worst ${axis.worst}`,
  );
}

/** Metric value → unit coordinate (0 = best, 1 = worst). */
export function toUnit(axis: CalibrationAxis, value: number): number {
  return (value - axis.best) / (axis.worst - axis.best);
}

/** Unit coordinate → metric value. */
export function fromUnit(axis: CalibrationAxis, u: number): number {
  return axis.best + u * (axis.worst - axis.best);
}
