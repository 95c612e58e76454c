import { check } from "../../common/index.ts";
import type { LaneMaskErrorFamily, RegressionErrorFamily } from "./ErrorFamily.ts";
import type { PolynomialFitJSON } from "./PolynomialFit.ts";

/** y = slope·x + intercept over [xMin, xMax], as an exact fit. */
function line(intercept: number, slope: number, xMin: number, xMax: number): PolynomialFitJSON {
  return { coefficients: [intercept, slope], xMin, xMax, r2: 1, n: 2 };
}

/**
 * A zero-mean Gaussian error family indexed by its metric, for when no
 * approximated models have been measured yet: the closed form of the metric
 * of N(0, σ²) errors, inverted. `l1Error` (mean |e|) = σ·√(2/π), so
 * σ = √(π/2)·level; `l2Error` (RMS) = σ.
 *
 * @param outputs names of the NN's outputs (one Gaussian each, same σ).
 * @param range metric levels [best, worst] the family is meant for.
 */
export function gaussianFamily(metric: "l1Error" | "l2Error", outputs: string[], range: [number, number]): RegressionErrorFamily {
  check(
    range[1] > range[0] && range[0] >= 0,
    `gaussianFamily(${metric})`,
    () => `range must be [best, worst] with 0 ≤ best < worst, got [${range.join(", ")}]`,
  );
  const slope = metric === "l1Error" ? Math.sqrt(Math.PI / 2) : 1;
  return {
    kind: "regression",
    metric,
    levelRange: range,
    outputs: outputs.map((name) => ({ name, bias: line(0, 0, range[0], range[1]), std: line(0, slope, range[0], range[1]) })),
    measured: [],
  };
}

/**
 * A lane-mask family of missed detections only, indexed by `recall` (or by
 * `iou`, which equals recall when nothing spurious is predicted): each lane
 * pixel is dropped with probability 1 − level; no false positives, no shift.
 *
 * @param range recall levels [best, worst], e.g. [1, 0.2].
 * @param shape mask size [H, W] the parameters refer to.
 */
export function laneDropFamily(metric: "recall" | "iou", range: [number, number], shape: [number, number]): LaneMaskErrorFamily {
  check(
    range[0] > range[1] && range[0] <= 1 && range[1] >= 0,
    `laneDropFamily(${metric})`,
    () => `range must be [best, worst] with 1 ≥ best > worst ≥ 0, got [${range.join(", ")}]`,
  );
  const [lo, hi] = [range[1], range[0]];
  return {
    kind: "lane-mask",
    metric,
    levelRange: [lo, hi],
    shape,
    dropRate: line(1, -1, lo, hi),
    falsePositiveRate: line(0, 0, lo, hi),
    shiftPx: line(0, 0, lo, hi),
    shiftStdPx: line(0, 0, lo, hi),
    measured: [],
  };
}
