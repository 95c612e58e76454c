import { InputError } from "../../common/index.ts";
import type { Constraints } from "../calibrate/Constraints.ts";
import { ErrorMetric } from "../metrics/ErrorMetric.ts";
import { metricRegistry } from "../metrics/metricRegistry.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";

/**
 * One metric per constraint axis that is not a knob, from the axis name
 * `<nn>.<metric>` with a metric of the {@link metricRegistry}.
 * @throws InputError for an axis of an NN whose metric is not built in.
 */
export function defaultMetrics(constraints: Constraints, nns: readonly ModelRunner[]): ErrorMetric[] {
  const out: ErrorMetric[] = [];
  for (const axis of constraints.axes) {
    const dot = axis.name.lastIndexOf(".");
    const nn = nns.find((n) => n.name === axis.name.slice(0, dot));
    if (dot < 0 || !nn) continue; // a knob axis, or a typo that pointOf reports with the measured names
    const name = axis.name.slice(dot + 1);
    if (!metricRegistry.has(name)) {
      throw new InputError(`axis ${axis.name}`, `no built-in metric "${name}" (${metricRegistry.names().join(", ")}); pass options.metrics`);
    }
    out.push(new ErrorMetric(nn, metricRegistry.get(name, `axis ${axis.name}`).metric, { name: axis.name, direction: axis.direction }));
  }
  return out;
}
