import type { Classification } from "../calibrate/Constraints.ts";

/** A QoS verdict as fidelity compares it. */
export type Verdict = "pass" | "fail" | "uncertain";

/** What a class of the calibration's constraints predicts of the real loop: valid → pass, invalid → fail. */
export function predictedVerdict(c: Classification): Verdict {
  return c === "valid" ? "pass" : c === "invalid" ? "fail" : "uncertain";
}

/** Counts of judged points by (prediction, real verdict). `predictedPassRealFail` is the dangerous cell. */
export interface FidelityConfusion {
  predictedPassRealPass: number;
  predictedPassRealFail: number;
  predictedFailRealPass: number;
  predictedFailRealFail: number;
  /** Points the prediction left uncertain. */
  uncertain: number;
}

/**
 * The confusion of `points`. A real verdict that is not a pass (a fail, or uncertain at the seed cap)
 * counts as a fail: an undecided real run never makes a predicted pass look right.
 */
export function fidelityConfusion(points: readonly { predicted: Verdict; real: Verdict }[]): FidelityConfusion {
  const count = (f: (p: { predicted: Verdict; real: Verdict }) => boolean) => points.filter(f).length;
  return {
    predictedPassRealPass: count((p) => p.predicted === "pass" && p.real === "pass"),
    predictedPassRealFail: count((p) => p.predicted === "pass" && p.real !== "pass"),
    predictedFailRealPass: count((p) => p.predicted === "fail" && p.real === "pass"),
    predictedFailRealFail: count((p) => p.predicted === "fail" && p.real !== "pass"),
    uncertain: count((p) => p.predicted === "uncertain"),
  };
}
