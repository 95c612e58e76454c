import type { Loss } from "./Loss.ts";
import { meanOf } from "./meanOf.ts";

/** Mean absolute error, `mean(|p − t|)` (PyTorch `L1Loss`). */
export function l1Loss(): Loss {
  return {
    kind: "l1",
    append: (w, p, t) => meanOf(w, w.op("Abs", [w.op("Sub", [p, t])])),
    compute(p, t) {
      let s = 0;
      for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - t[i]);
      return s / p.length;
    },
  };
}
