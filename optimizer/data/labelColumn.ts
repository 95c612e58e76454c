import { InputError } from "../../common/index.ts";
import { TensorDataset } from "./TensorDataset.ts";

/**
 * One label component of a vector dataset as its own dataset ([1] targets),
 * with the matching component of the flip map — what a single-output
 * regression net trains on. Shares the input buffer.
 * @throws InputError when the dataset has no label of that name.
 */
export function labelColumn(ds: TensorDataset, name: string): TensorDataset {
  const j = ds.labelNames?.indexOf(name) ?? -1;
  if (j < 0) throw new InputError("dataset", `no label "${name}" (labels: ${ds.labelNames?.join(", ") ?? "unnamed"})`);
  const targets = new Float32Array(ds.size);
  for (let i = 0; i < ds.size; i++) targets[i] = ds.targets[i * ds.targetSize + j];
  return new TensorDataset({
    inputs: ds.inputs,
    targets,
    inputShape: [...ds.inputShape],
    targetShape: [1],
    mean: [...ds.mean],
    std: [...ds.std],
    labelNames: [name],
    ...(ds.labelFlip ? { labelFlip: { scale: [ds.labelFlip.scale[j]], offset: [ds.labelFlip.offset[j]] } } : {}),
  });
}
