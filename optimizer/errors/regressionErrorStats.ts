import { check } from "../../common/index.ts";

/** Per-output error statistics of a regression NN (units of each output). */
export interface RegressionErrorStats {
  /** Signed mean error `mean(prediction − label)` per output. */
  bias: Float64Array;
  /** Population standard deviation of the error per output. */
  std: Float64Array;
}

/**
 * Bias and spread of `predictions − labels` for each of the `outputs`
 * columns (both arrays N×outputs, sample-major).
 */
export function regressionErrorStats(predictions: Float32Array, labels: Float32Array, outputs = 1): RegressionErrorStats {
  check(
    predictions.length === labels.length,
    "regression error samples",
    () => `predictions have ${predictions.length} values but labels have ${labels.length}`,
  );
  check(
    Number.isInteger(outputs) && outputs > 0 && predictions.length % outputs === 0 && predictions.length > 0,
    "regression error samples",
    () => `${predictions.length} values do not split into rows of ${outputs} outputs`,
  );
  const n = predictions.length / outputs;
  const bias = new Float64Array(outputs);
  const std = new Float64Array(outputs);
  for (let i = 0; i < predictions.length; i++) bias[i % outputs] += predictions[i] - labels[i];
  for (let k = 0; k < outputs; k++) bias[k] /= n;
  for (let i = 0; i < predictions.length; i++) {
    const d = predictions[i] - labels[i] - bias[i % outputs];
    std[i % outputs] += d * d;
  }
  for (let k = 0; k < outputs; k++) std[k] = Math.sqrt(std[k] / n);
  return { bias, std };
}
