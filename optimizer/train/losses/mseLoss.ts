import type { Loss } from "./Loss.ts";
import { meanOf } from "./meanOf.ts";

/** Mean squared error, `mean((p − t)²)` (PyTorch `MSELoss`). */
export function mseLoss(): Loss {
  return {
    kind: "mse",
    append(w, p, t) {
      const d = w.op("Sub", [p, t]);
      return meanOf(w, w.op("Mul", [d, d]));
    },
    compute(p, t) {
      let s = 0;
      for (let i = 0; i < p.length; i++) s += (p[i] - t[i]) ** 2;
      return s / p.length;
    },
  };
}
