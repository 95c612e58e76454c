import { check } from "../../common/index.ts";
import type { CalibrationAxis } from "../calibrate/CalibrationAxis.ts";
import { Constraints } from "../calibrate/Constraints.ts";
import type { MetricDirection } from "../metrics/MetricFunction.ts";
import type { Knob } from "./enumerateCombinations.ts";

/**
 * An application knob searched with the NNs. When the constraints have no
 * axis of its name, one is added (from the best to the worst of `values`,
 * in `direction`), and the calibration's points are placed at the knob's
 * original value (`values[0]`): outcomes at one rate then say nothing
 * about a better rate's failures or a worse rate's passes.
 */
export interface TuningKnob extends Knob {
  /** Which way the application gets no worse. @default "higher-better" (e.g. the perception rate) */
  direction?: MetricDirection;
}

/** `constraints`, or a copy with an axis for each knob it lacks (calibration points at the knobs' original values). */
export function withKnobAxes(constraints: Constraints, knobs: readonly TuningKnob[]): Constraints {
  const missing = knobs.filter((k) => !constraints.axes.some((a) => a.name === k.name));
  if (missing.length === 0) return constraints;
  const extra: CalibrationAxis[] = missing.map((k) => {
    check(k.values.length > 0 && k.values.every(Number.isFinite), `knob ${k.name}`, () => "needs finite values");
    const direction = k.direction ?? "higher-better";
    const lo = Math.min(...k.values);
    const hi = Math.max(...k.values);
    // A single-valued knob still needs a non-empty axis range.
    const [best, worst] = direction === "higher-better" ? [hi, lo === hi ? hi - 1 : lo] : [lo, lo === hi ? lo + 1 : hi];
    return { name: k.name, direction, best, worst };
  });
  const out = new Constraints([...constraints.axes, ...extra]);
  const at = missing.map((k) => k.values[0]);
  for (const p of constraints.points) out.add([...p.point, ...at], p.pass, p.hash);
  return out;
}
