import { check } from "../../common/index.ts";
import { TensorDataset } from "./TensorDataset.ts";

/**
 * A mask dataset with its masks reduced by `factor` per axis, a pixel being
 * lane when any pixel of its factor×factor block is (max pooling): thin lane
 * lines survive, unlike nearest-neighbour resizing. Shares the input buffer.
 * @throws InputError when the mask size is not divisible by `factor`.
 */
export function poolMasks(ds: TensorDataset, factor: number): TensorDataset {
  const [, h, w] = ds.targetShape;
  check(h % factor === 0 && w % factor === 0, "dataset", () => `mask ${w}×${h} is not divisible by ${factor}`);
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
  return new TensorDataset({
    inputs: ds.inputs,
    targets,
    inputShape: [...ds.inputShape],
    targetShape: [1, oh, ow],
    mean: [...ds.mean],
    std: [...ds.std],
  });
}
