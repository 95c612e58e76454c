import { TensorDataset } from "../../optimizer/index.ts";

/**
 * Every k-th sample of `ds` (`count` of them, k = size / count), so a subset
 * still covers all the dataset's worlds; `ds` itself when it has at most
 * `count` samples.
 */
export function stridedSubset(ds: TensorDataset, count: number): TensorDataset {
  if (count >= ds.size) return ds;
  const step = ds.size / count;
  const inputs = new Float32Array(count * ds.inputSize);
  const targets = new Float32Array(count * ds.targetSize);
  for (let i = 0; i < count; i++) {
    const j = Math.floor(i * step);
    inputs.set(ds.inputs.subarray(j * ds.inputSize, (j + 1) * ds.inputSize), i * ds.inputSize);
    targets.set(ds.targets.subarray(j * ds.targetSize, (j + 1) * ds.targetSize), i * ds.targetSize);
  }
  return new TensorDataset({
    inputs,
    targets,
    inputShape: [...ds.inputShape],
    targetShape: [...ds.targetShape],
    mean: [...ds.mean],
    std: [...ds.std],
    ...(ds.labelNames ? { labelNames: [...ds.labelNames] } : {}),
    ...(ds.labelFlip ? { labelFlip: ds.labelFlip } : {}),
  });
}
