import type { CalibrationAxis } from "../calibrate/CalibrationAxis.ts";
import type { Candidate } from "./Candidate.ts";

/**
 * The application-agnostic choice, what "keep the accuracy" tools pick: for
 * each NN, the fastest candidate whose every metric is no worse than the
 * original's (up to `tolerance`, relative, to absorb measurement noise).
 * `candidatesByNn[i][0]` must be NN i's original.
 */
export function agnosticChoice(candidatesByNn: readonly (readonly Candidate[])[], axes: readonly CalibrationAxis[], tolerance = 0): Candidate[] {
  return candidatesByNn.map((list) => {
    const original = list[0];
    let best = original;
    for (const c of list) {
      if (noWorse(c, original, axes, tolerance) && c.latencyMs < best.latencyMs) best = c;
    }
    return best;
  });
}

function noWorse(c: Candidate, original: Candidate, axes: readonly CalibrationAxis[], tolerance: number): boolean {
  for (const axis of axes) {
    const ref = original.metrics[axis.name];
    const value = c.metrics[axis.name];
    if (ref === undefined || value === undefined) continue;
    const slack = Math.abs(ref) * tolerance;
    if (axis.direction === "lower-better" ? value > ref + slack : value < ref - slack) return false;
  }
  return true;
}
