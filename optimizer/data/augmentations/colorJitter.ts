import type { Augmentation, Batch } from "./Augmentation.ts";

/** Options of {@link colorJitter}: each factor is drawn uniformly from [1 − x, 1 + x]. */
export interface ColorJitterOptions {
  /** Brightness: pixels multiplied by the factor. @default 0.2 */
  brightness?: number;
  /** Contrast: blend with the image's mean grey level. @default 0.2 */
  contrast?: number;
  /** Saturation: blend with each pixel's grey value (3-channel images only). @default 0.2 */
  saturation?: number;
}

/**
 * Random brightness, contrast and saturation per sample, as torchvision's
 * `ColorJitter` but in a fixed order (brightness, contrast, saturation) so
 * that it is reproducible from the seed. Works on normalized inputs: pixels
 * are mapped back to [0, 1] with the dataset's mean/std, jittered, clamped to
 * [0, 1] and normalized again. Grey uses ITU-R 601 weights (0.299, 0.587, 0.114).
 */
export function colorJitter(opts: ColorJitterOptions = {}): Augmentation {
  const brightness = opts.brightness ?? 0.2;
  const contrast = opts.contrast ?? 0.2;
  const saturation = opts.saturation ?? 0.2;
  let scratch = new Float32Array(0);
  return {
    name: "colorJitter",
    apply(batch: Batch, rng) {
      const ds = batch.dataset;
      const [c, h, w] = ds.inputShape;
      const plane = h * w;
      const size = c * plane;
      if (scratch.length < size) scratch = new Float32Array(size);
      for (let k = 0; k < batch.size; k++) {
        const b = 1 + rng.uniform(-brightness, brightness);
        const ct = 1 + rng.uniform(-contrast, contrast);
        const s = 1 + rng.uniform(-saturation, saturation);
        const img = batch.inputs.subarray(k * size, (k + 1) * size);
        for (let ch = 0; ch < c; ch++) {
          const m = ds.mean[ch];
          const sd = ds.std[ch];
          for (let p = ch * plane; p < (ch + 1) * plane; p++) scratch[p] = clamp01((img[p] * sd + m) * b);
        }
        let grey = 0;
        for (let p = 0; p < plane; p++) grey += c === 3 ? lum(scratch, p, plane) : scratch[p];
        grey /= plane;
        for (let p = 0; p < size; p++) scratch[p] = clamp01(grey + (scratch[p] - grey) * ct);
        if (c === 3) {
          for (let p = 0; p < plane; p++) {
            const g = lum(scratch, p, plane);
            for (let ch = 0; ch < 3; ch++) scratch[ch * plane + p] = clamp01(g + (scratch[ch * plane + p] - g) * s);
          }
        }
        for (let ch = 0; ch < c; ch++) {
          const m = ds.mean[ch];
          const inv = 1 / ds.std[ch];
          for (let p = ch * plane; p < (ch + 1) * plane; p++) img[p] = (scratch[p] - m) * inv;
        }
      }
    },
  };
}

function lum(a: Float32Array, p: number, plane: number): number {
  return 0.299 * a[p] + 0.587 * a[plane + p] + 0.114 * a[2 * plane + p];
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
