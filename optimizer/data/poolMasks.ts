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
  for (let n = 0; n < ds.size; n++)
    maxPoolMask(ds.targets.subarray(n * h * w, (n + 1) * h * w), w, h, factor, targets.subarray(n * oh * ow, (n + 1) * oh * ow));
  return new TensorDataset({
    inputs: ds.inputs,
    targets,
    inputShape: [...ds.inputShape],
    targetShape: [1, oh, ow],
    mean: [...ds.mean],
    std: [...ds.std],
  });
}

/**
 * Max-pools one W×H mask (lit where > 0.5) by `factor` per axis into `out`
 * ((W / factor)×(H / factor), overwritten): an output pixel is 1 when any
 * pixel of its block is lit. The rule of {@link poolMasks}, and of the GEM's
 * oracle masks drawn like a LaneNet's training labels.
 */
export function maxPoolMask(mask: ArrayLike<number>, width: number, height: number, factor: number, out: Uint8Array | Float32Array): void {
  const ow = width / factor;
  out.fill(0);
  for (let y = 0; y < height; y++) {
    const row = ((y / factor) | 0) * ow;
    for (let x = 0; x < width; x++) if (mask[y * width + x] > 0.5) out[row + ((x / factor) | 0)] = 1;
  }
}
