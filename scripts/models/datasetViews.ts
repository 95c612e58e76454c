import { TensorDataset } from "../../optimizer/index.ts";

/**
 * One label component of a vector dataset as its own dataset ([1] targets),
 * with the matching component of the flip map — what a single-output
 * regression net trains on. Shares the input buffer.
 */
export function labelColumn(ds: TensorDataset, name: string): TensorDataset {
  const j = ds.labelNames?.indexOf(name) ?? -1;
  if (j < 0) throw new Error(`dataset has no label "${name}" (labels: ${ds.labelNames?.join(", ") ?? "unnamed"})`);
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

/**
 * A mask dataset with its masks reduced by `factor` per axis, a pixel being
 * lane when any pixel of its factor×factor block is (max pooling): thin lane
 * lines survive, unlike nearest-neighbour resizing. Shares the input buffer.
 */
export function poolMasks(ds: TensorDataset, factor: number): TensorDataset {
  const [, h, w] = ds.targetShape;
  if (h % factor || w % factor) throw new Error(`mask ${w}×${h} is not divisible by ${factor}`);
  const oh = h / factor;
  const ow = w / factor;
  const targets = new Float32Array(ds.size * oh * ow);
  for (let n = 0; n < ds.size; n++) {
    const src = n * h * w;
    const dst = n * oh * ow;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (ds.targets[src + y * w + x] > 0.5) targets[dst + ((y / factor) | 0) * ow + ((x / factor) | 0)] = 1;
      }
    }
  }
  return new TensorDataset({ inputs: ds.inputs, targets, inputShape: [...ds.inputShape], targetShape: [1, oh, ow], mean: [...ds.mean], std: [...ds.std] });
}
