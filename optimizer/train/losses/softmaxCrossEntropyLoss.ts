import type { Loss } from "./Loss.ts";
import { meanOf } from "./meanOf.ts";

/**
 * Softmax cross-entropy over the class axis 1 (PyTorch `CrossEntropyLoss`
 * with probability targets): `mean over N (and H, W) of −Σ_c t_c·log softmax(x)_c`.
 *
 * The target has the logits' shape: one-hot rows for hard labels (the
 * dataset stores labels as floats), or soft probabilities. Works for `[N, C]`
 * classification and `[N, C, H, W]` per-pixel segmentation.
 */
export function softmaxCrossEntropyLoss(): Loss {
  return {
    kind: "softmax-cross-entropy",
    append(w, x, t) {
      const logp = w.op("LogSoftmax", [x], { axis: 1 });
      const perSample = w.op("ReduceSum", [w.op("Mul", [t, logp]), w.int64s([1])], { keepdims: 0 });
      return w.op("Neg", [meanOf(w, perSample)], {}, []);
    },
    compute(x, t, shape) {
      const n = shape[0];
      const c = shape[1];
      const inner = shape.slice(2).reduce((a, b) => a * b, 1);
      let s = 0;
      for (let b = 0; b < n; b++) {
        for (let k = 0; k < inner; k++) {
          let max = -Infinity;
          for (let j = 0; j < c; j++) max = Math.max(max, x[(b * c + j) * inner + k]);
          let z = 0;
          for (let j = 0; j < c; j++) z += Math.exp(x[(b * c + j) * inner + k] - max);
          const logZ = max + Math.log(z);
          for (let j = 0; j < c; j++) s -= t[(b * c + j) * inner + k] * (x[(b * c + j) * inner + k] - logZ);
        }
      }
      return s / (n * inner);
    },
  };
}
