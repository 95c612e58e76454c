import { InputError } from "../../../common/index.ts";
import type { LabelMap } from "../TensorDataset.ts";
import type { Augmentation, Batch } from "./Augmentation.ts";

/** Options of {@link horizontalFlip}. */
export interface HorizontalFlipOptions {
  /** Probability of flipping each sample. @default 0.5 */
  p?: number;
  /** Label map for vector targets. @default the dataset's `labelFlip` (labels.json `labels.flip`) */
  labelFlip?: LabelMap;
}

/**
 * Mirrors images left–right with probability `p`. Mask targets are mirrored
 * too; vector targets are mapped with the affine {@link LabelMap} (e.g.
 * CropFollow's (φ, d) → (−φ, 1 − d)). A vector dataset without a map is an error,
 * since flipping the image alone would corrupt the labels.
 */
export function horizontalFlip(opts: HorizontalFlipOptions = {}): Augmentation {
  const p = opts.p ?? 0.5;
  return {
    name: "horizontalFlip",
    apply(batch: Batch, rng) {
      const ds = batch.dataset;
      const map = opts.labelFlip ?? ds.labelFlip;
      if (ds.targetKind === "vector" && !map) {
        throw new InputError("horizontalFlip.labelFlip", "vector labels need a flip mapping (labels.json labels.flip or the labelFlip option)");
      }
      const [c, h, w] = ds.inputShape;
      const ts = ds.targetSize;
      for (let k = 0; k < batch.size; k++) {
        if (!rng.chance(p)) continue;
        mirrorRows(batch.inputs, k * c * h * w, c * h, w);
        if (ds.targetKind === "mask") {
          const mw = ds.targetShape[ds.targetShape.length - 1];
          mirrorRows(batch.targets, k * ts, ts / mw, mw);
        } else {
          for (let j = 0; j < ts; j++) batch.targets[k * ts + j] = map!.scale[j] * batch.targets[k * ts + j] + map!.offset[j];
        }
      }
    },
  };
}

/** Reverses each of `rows` consecutive rows of `width` floats starting at `offset`. */
function mirrorRows(a: Float32Array, offset: number, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    let i = offset + r * width;
    let j = i + width - 1;
    while (i < j) {
      const t = a[i];
      a[i++] = a[j];
      a[j--] = t;
    }
  }
}
