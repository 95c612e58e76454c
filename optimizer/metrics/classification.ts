import { check } from "../../common/index.ts";
import { defineMetric, type MetricFunction } from "./MetricFunction.ts";

/**
 * Classification accuracy in [0, 1]: the fraction of samples whose arg-max
 * score is the labelled class. Higher-better.
 *
 * Accepted layouts (N samples, K classes):
 * - predictions N×K scores (logits or probabilities), labels N class indices;
 * - predictions N×K, labels N×K one-hot (or soft) — needs `count` = N when K > 1;
 * - binary: predictions N probabilities and labels N in {0, 1}; a prediction
 *   ≥ 0.5 counts as class 1.
 */
export const accuracy: MetricFunction = defineMetric("accuracy", "higher-better", (p, y, count) => {
  check(p.length > 0, "accuracy", () => "no samples to evaluate");
  let n: number;
  if (count !== undefined) n = count;
  else if (y.length < p.length) n = y.length;
  else n = p.length;
  check(Number.isInteger(n) && n > 0 && p.length % n === 0, "accuracy", () => `${p.length} prediction values do not split into ${n} samples`);
  const k = p.length / n;
  if (k === 1) {
    check(y.length === n, "accuracy", () => `binary accuracy needs ${n} labels, got ${y.length}`);
    let correct = 0;
    for (let i = 0; i < n; i++) if (p[i] >= 0.5 === y[i] >= 0.5) correct++;
    return correct / n;
  }
  const oneHot = y.length === p.length;
  check(oneHot || y.length === n, "accuracy", () => `labels must be ${n} class indices or ${n}×${k} one-hot values, got ${y.length} values`);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const predicted = argMax(p, i * k, k);
    const truth = oneHot ? argMax(y, i * k, k) : y[i];
    check(Number.isInteger(truth) && truth >= 0 && truth < k, "accuracy", () => `label ${i} is ${truth}, not a class index in [0, ${k})`);
    if (predicted === truth) correct++;
  }
  return correct / n;
});

function argMax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let j = 1; j < length; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}
