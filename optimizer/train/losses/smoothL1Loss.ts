import { check } from "../../../common/index.ts";
import type { Loss } from "./Loss.ts";
import { meanOf } from "./meanOf.ts";

/**
 * Smooth L1 (PyTorch `SmoothL1Loss(beta)`): per element `0.5·d²/β` when
 * `|d| < β`, else `|d| − 0.5·β`, averaged.
 *
 * Written branch-free as `m·(a − 0.5·m)/β` with `a = |d|`, `m = clip(a, 0, β)`,
 * so its gradient needs only Abs, Clip and arithmetic rules.
 * @param beta transition point (> 0). @default 1
 */
export function smoothL1Loss(beta = 1): Loss {
  check(beta > 0, "smoothL1Loss.beta", () => `must be > 0, got ${beta}`);
  return {
    kind: "smooth-l1",
    append(w, p, t) {
      const a = w.op("Abs", [w.op("Sub", [p, t])]);
      const m = w.op("Clip", [a, w.scalar(0), w.scalar(beta)]);
      const half = w.op("Mul", [m, w.scalar(0.5)]);
      const perElement = w.op("Mul", [m, w.op("Sub", [a, half])]);
      return meanOf(w, w.op("Mul", [perElement, w.scalar(1 / beta)]));
    },
    compute(p, t) {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const a = Math.abs(p[i] - t[i]);
        s += a < beta ? (0.5 * a * a) / beta : a - 0.5 * beta;
      }
      return s / p.length;
    },
  };
}
