import { InputError } from "../../common/index.ts";
import type { Constraints } from "../calibrate/Constraints.ts";
import { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { MetricFunction } from "../metrics/MetricFunction.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import { accuracy } from "../metrics/classification.ts";
import { iou, precision, recall } from "../metrics/laneMask.ts";
import { bias, l1Error, l2Error, stdDev } from "../metrics/regression.ts";

const BUILTIN_METRICS: Record<string, MetricFunction> = { l1Error, l2Error, bias, stdDev, iou, recall, precision, accuracy };

/**
 * One metric per constraint axis that is not a knob, from the axis name
 * `<nn>.<metric>` with a built-in metric (l1Error, l2Error, bias, stdDev,
 * iou, recall, precision, accuracy).
 * @throws InputError for an axis of an NN whose metric is not built in.
 */
export function defaultMetrics(constraints: Constraints, nns: readonly ModelRunner[]): ErrorMetric[] {
  const out: ErrorMetric[] = [];
  for (const axis of constraints.axes) {
    const dot = axis.name.lastIndexOf(".");
    const nn = nns.find((n) => n.name === axis.name.slice(0, dot));
    if (dot < 0 || !nn) continue; // a knob axis, or a typo that pointOf reports with the measured names
    const fn = BUILTIN_METRICS[axis.name.slice(dot + 1)];
    if (!fn) {
      throw new InputError(`axis ${axis.name}`, `no built-in metric "${axis.name.slice(dot + 1)}" (${Object.keys(BUILTIN_METRICS).join(", ")}); pass options.metrics`);
    }
    out.push(new ErrorMetric(nn, fn, { name: axis.name, direction: axis.direction }));
  }
  return out;
}
