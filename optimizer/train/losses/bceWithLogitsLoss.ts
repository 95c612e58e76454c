import { check } from "../../../common/index.ts";
import type { Loss } from "./Loss.ts";
import { meanOf } from "./meanOf.ts";

/**
 * Binary cross-entropy on logits (PyTorch `BCEWithLogitsLoss(pos_weight)`),
 * for lane masks where marking pixels are rare: per element
 * `(1 − t)·x + (1 + (w − 1)·t)·softplus(−x)`, which equals
 * `−[w·t·log σ(x) + (1 − t)·log(1 − σ(x))]` without overflow.
 *
 * @param posWeight weight `w` of the positive class (e.g. negatives/positives). @default 1
 */
export function bceWithLogitsLoss(posWeight = 1): Loss {
  check(posWeight > 0, "bceWithLogitsLoss.posWeight", () => `must be > 0, got ${posWeight}`);
  return {
    kind: "bce-with-logits",
    append(w, x, t) {
      const negPart = w.op("Mul", [w.op("Sub", [w.scalar(1), t]), x]);
      const sp = w.op("Softplus", [w.op("Neg", [x])]);
      const weighted = posWeight === 1 ? sp : w.op("Mul", [w.op("Add", [w.scalar(1), w.op("Mul", [t, w.scalar(posWeight - 1)])]), sp]);
      return meanOf(w, w.op("Add", [negPart, weighted]));
    },
    compute(x, t) {
      let s = 0;
      for (let i = 0; i < x.length; i++) {
        const softplusNeg = Math.max(-x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
        s += (1 - t[i]) * x[i] + (1 + (posWeight - 1) * t[i]) * softplusNeg;
      }
      return s / x.length;
    },
  };
}
