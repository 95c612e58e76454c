import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import sharp from "sharp";
import { InputError, readJsonFile, stableHash } from "../../common/index.ts";
import { parseLabelsFile, type LabelsFile } from "./LabelsFile.ts";
import { TensorDataset } from "./TensorDataset.ts";
import { readCachedArrays, writeCachedArrays } from "./datasetCache.ts";

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /**
   * Folder for the decoded-array cache, or `false` to always decode.
   * Entries are keyed by a hash of the labels file content and every
   * referenced file's path, size and modification time.
   * @default `<dir>/.cache`
   */
  cache?: string | false;
  /** Images decoded concurrently (sharp runs them on its own thread pool). @default 8 */
  concurrency?: number;
}

/**
 * Loads an image dataset: a folder of images plus a labels JSON (format in
 * {@link LabelsFile}). Images are decoded with sharp, resized to
 * `inputs.width × inputs.height`, scaled to [0, 1], normalized per channel and
 * stored NCHW; masks become 0/1 floats of shape [1, H, W].
 *
 * @param dir dataset folder; item paths are relative to it.
 * @param labelsFile path of the labels JSON (relative to the working directory, as given).
 * @example
 * const ds = await loadDataset("data/cropfollow/", "data/cropfollow/labels.json");
 * ds.size; ds.inputShape; // e.g. 2000, [3, 48, 64]
 */
export async function loadDataset(dir: string, labelsFile: string, opts: LoadDatasetOptions = {}): Promise<TensorDataset> {
  const spec = parseLabelsFile(readJsonFile(labelsFile), labelsFile);
  const { width, height, channels } = spec.inputs;
  const isMask = spec.items[0].mask !== undefined;
  const maskW = spec.masks?.width ?? width;
  const maskH = spec.masks?.height ?? height;
  const targetShape = isMask ? [1, maskH, maskW] : [spec.items[0].label!.length];
  const inputSize = channels * width * height;
  const targetSize = targetShape.reduce((a, b) => a * b, 1);
  const n = spec.items.length;

  const files = await Promise.all(
    spec.items.map(async (item, i) => {
      const paths = [item.file, ...(item.mask ? [item.mask] : [])];
      return Promise.all(
        paths.map(async (p, j) => {
          const full = resolve(dir, p);
          try {
            const s = await stat(full);
            return { path: p, size: s.size, mtimeMs: s.mtimeMs };
          } catch {
            throw new InputError(`${labelsFile}: items[${i}].${j === 0 ? "file" : "mask"}`, `file not found: ${full}`);
          }
        }),
      );
    }),
  );

  const key = stableHash({ version: 1, spec, files }).slice(0, 32);
  const cacheDir = opts.cache === false ? undefined : (opts.cache ?? join(dir, ".cache"));
  const cached = cacheDir ? await readCachedArrays(cacheDir, key, [n * inputSize, n * targetSize]) : undefined;

  let inputs: Float32Array;
  let targets: Float32Array;
  if (cached) {
    [inputs, targets] = cached;
  } else {
    inputs = new Float32Array(n * inputSize);
    targets = new Float32Array(n * targetSize);
    const concurrency = Math.max(1, opts.concurrency ?? 8);
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        await decodeItem(dir, labelsFile, spec, i, inputs.subarray(i * inputSize, (i + 1) * inputSize));
        const item = spec.items[i];
        if (item.mask) await decodeMask(dir, labelsFile, spec, i, maskW, maskH, targets.subarray(i * targetSize, (i + 1) * targetSize));
        else targets.set(item.label!, i * targetSize);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    if (cacheDir) await writeCachedArrays(cacheDir, key, inputs, targets);
  }

  return new TensorDataset({
    inputs,
    targets,
    inputShape: [channels, height, width],
    targetShape,
    targetKind: isMask ? "mask" : "vector",
    mean: spec.inputs.mean,
    std: spec.inputs.std,
    labelFlip: spec.labels?.flip,
    labelNames: spec.labels?.names,
  });
}

/** Decodes, resizes and normalizes image `i` into `out` (C×H×W). */
async function decodeItem(dir: string, labelsFile: string, spec: LabelsFile, i: number, out: Float32Array): Promise<void> {
  const { width, height, channels, mean, std, fit } = spec.inputs;
  let pipeline = sharp(resolve(dir, spec.items[i].file)).removeAlpha();
  pipeline = channels === 1 ? pipeline.greyscale() : pipeline.toColourspace("srgb");
  let pixels: Buffer;
  try {
    const res = await pipeline.resize(width, height, { fit }).raw().toBuffer({ resolveWithObject: true });
    if (res.info.channels !== channels) throw new Error(`decoded ${res.info.channels} channels, expected ${channels}`);
    pixels = res.data;
  } catch (e) {
    throw new InputError(`${labelsFile}: items[${i}].file`, `cannot decode ${spec.items[i].file}: ${(e as Error).message}`);
  }
  const plane = width * height;
  // Interleaved HWC bytes → planar CHW floats.
  for (let c = 0; c < channels; c++) {
    const scale = 1 / (255 * std[c]);
    const shift = mean[c] / std[c];
    const o = c * plane;
    for (let p = 0; p < plane; p++) out[o + p] = pixels[p * channels + c] * scale - shift;
  }
}

/** Decodes mask `i`, resizes it (nearest) and thresholds it into `out` (1×H×W of 0/1). */
async function decodeMask(
  dir: string,
  labelsFile: string,
  spec: LabelsFile,
  i: number,
  width: number,
  height: number,
  out: Float32Array,
): Promise<void> {
  const threshold = spec.masks?.threshold ?? 128;
  let pixels: Buffer;
  try {
    const res = await sharp(resolve(dir, spec.items[i].mask!))
      .removeAlpha()
      .extractChannel(0)
      .resize(width, height, { fit: spec.inputs.fit, kernel: "nearest" })
      .raw()
      .toBuffer({ resolveWithObject: true });
    pixels = res.data;
  } catch (e) {
    throw new InputError(`${labelsFile}: items[${i}].mask`, `cannot decode ${spec.items[i].mask}: ${(e as Error).message}`);
  }
  for (let p = 0; p < width * height; p++) out[p] = pixels[p] >= threshold ? 1 : 0;
}
