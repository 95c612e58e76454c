import { check } from "../../common/index.ts";
import type { LabeledDataset } from "./LabeledDataset.ts";
import type { ModelRunner } from "./ModelRunner.ts";

/**
 * Runs `runner` over every sample of `dataset` in batches and returns the
 * N×(outputs per sample) predictions, in dataset order.
 *
 * @param batchSize samples per `run` call. @default 32
 */
export async function predictDataset(runner: ModelRunner, dataset: LabeledDataset, batchSize = 32): Promise<Float32Array> {
  const n = dataset.size;
  check(Number.isInteger(n) && n > 0, "dataset.size", () => `must be a positive integer, got ${n}`);
  const sampleSize = dataset.inputShape.reduce((a, b) => a * b, 1);
  check(
    dataset.images.length === n * sampleSize,
    "dataset.images",
    () => `has ${dataset.images.length} values, expected size × ${dataset.inputShape.join("×")} = ${n * sampleSize}`,
  );
  check(Number.isInteger(batchSize) && batchSize > 0, "batchSize", () => `must be a positive integer, got ${batchSize}`);
  let out: Float32Array | undefined;
  let width = 0;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const batch = dataset.images.subarray(start * sampleSize, (start + count) * sampleSize);
    const result = await runner.run(batch, count);
    if (!out) {
      check(
        result.length > 0 && result.length % count === 0,
        `model ${runner.name}`,
        () => `returned ${result.length} values for a batch of ${count}`,
      );
      width = result.length / count;
      out = new Float32Array(n * width);
    }
    check(
      result.length === count * width,
      `model ${runner.name}`,
      () => `returned ${result.length} values for a batch of ${count}, expected ${count * width}`,
    );
    out.set(result, start * width);
  }
  return out!;
}
