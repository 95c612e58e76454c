import { z } from "zod";
import { InputError, parseInput } from "../../common/index.ts";

/**
 * The `labels.json` format read by {@link loadDataset}.
 *
 * ```json
 * {
 *   "inputs": { "width": 64, "height": 48, "channels": 3,
 *               "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "fit": "fill" },
 *   "labels": { "names": ["heading", "distance"], "flip": { "scale": [-1, -1], "offset": [0, 1] } },
 *   "items": [ { "file": "images/000001.png", "label": [0.12, 0.47] } ]
 * }
 * ```
 * or, for segmentation, items with `"mask": "masks/000001.png"` instead of
 * `"label"` (all items one kind), and an optional
 * `"masks": { "width": 64, "height": 48, "threshold": 128 }`.
 *
 * - `inputs.width/height` (pixels): every image is resized to this size
 *   (`fit`: `"fill"` stretches, the default; `"cover"` crops the centre).
 * - `inputs.channels`: 3 (RGB) or 1 (grey). Pixels are scaled to [0, 1], then
 *   normalized `(x − mean[c]) / std[c]`; `mean`/`std` are one number or one per
 *   channel (defaults 0 and 1).
 * - `items[].file` and `items[].mask` are paths relative to the dataset folder.
 * - `label`: a fixed-length array of numbers (the NN's regression targets).
 * - `labels.flip` (optional): how a horizontal image flip maps a label,
 *   component-wise `label'[i] = scale[i]·label[i] + offset[i]`; CropFollow's
 *   (φ, d) → (−φ, 1 − d) is `scale [-1, -1], offset [0, 1]`.
 * - `mask`: a grey or RGB image; a pixel is 1 where its first channel is
 *   ≥ `masks.threshold` (default 128), else 0; resized with nearest-neighbour to
 *   `masks.width × masks.height` (default: the input size).
 */
export interface LabelsFile {
  inputs: {
    width: number;
    height: number;
    channels: 1 | 3;
    mean: number[];
    std: number[];
    fit: "fill" | "cover";
  };
  labels?: { names?: string[]; flip?: { scale: number[]; offset: number[] } };
  masks?: { width?: number; height?: number; threshold?: number };
  items: { file: string; label?: number[]; mask?: string }[];
}

const positiveInt = z.number().int().positive();
const numberOrList = z.union([z.number(), z.array(z.number()).min(1)]);

const schema = z.strictObject({
  inputs: z.strictObject({
    width: positiveInt,
    height: positiveInt,
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    mean: numberOrList.default(0),
    std: numberOrList.default(1),
    fit: z.enum(["fill", "cover"]).default("fill"),
  }),
  labels: z
    .strictObject({
      names: z.array(z.string()).optional(),
      flip: z.strictObject({ scale: z.array(z.number()), offset: z.array(z.number()) }).optional(),
    })
    .optional(),
  masks: z
    .strictObject({
      width: positiveInt.optional(),
      height: positiveInt.optional(),
      threshold: z.number().min(0).max(255).optional(),
    })
    .optional(),
  items: z
    .array(
      z.strictObject({
        file: z.string().min(1),
        label: z.array(z.number()).min(1).optional(),
        mask: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

/**
 * Validates parsed `labels.json` content. Errors are {@link InputError}s that
 * name `where` (the file) and the field, e.g. `data/x/labels.json: items[3].label`.
 */
export function parseLabelsFile(json: unknown, where: string): LabelsFile {
  const raw = parseInput(schema, json, where);
  const c = raw.inputs.channels;
  const mean = perChannel(raw.inputs.mean, c, `${where}: inputs.mean`);
  const std = perChannel(raw.inputs.std, c, `${where}: inputs.std`);
  std.forEach((s, i) => {
    if (!(s > 0)) throw new InputError(`${where}: inputs.std[${i}]`, `must be > 0, got ${s}`);
  });

  const hasMask = raw.items[0].mask !== undefined;
  let labelLength = -1;
  raw.items.forEach((item, i) => {
    const at = `${where}: items[${i}]`;
    if ((item.label === undefined) === (item.mask === undefined)) {
      throw new InputError(at, 'needs exactly one of "label" (number array) or "mask" (image path)');
    }
    if ((item.mask !== undefined) !== hasMask) {
      throw new InputError(at, `all items must be of one kind; items[0] has ${hasMask ? '"mask"' : '"label"'}`);
    }
    if (item.label) {
      if (labelLength < 0) labelLength = item.label.length;
      if (item.label.length !== labelLength) {
        throw new InputError(`${at}.label`, `has ${item.label.length} values, items[0].label has ${labelLength}`);
      }
      item.label.forEach((v, j) => {
        if (!Number.isFinite(v)) throw new InputError(`${at}.label[${j}]`, `must be finite, got ${v}`);
      });
    }
  });
  if (raw.labels?.names && !hasMask && raw.labels.names.length !== labelLength) {
    throw new InputError(`${where}: labels.names`, `has ${raw.labels.names.length} names but labels have ${labelLength} values`);
  }
  const flip = raw.labels?.flip;
  if (flip) {
    for (const key of ["scale", "offset"] as const) {
      if (hasMask || flip[key].length !== labelLength) {
        throw new InputError(
          `${where}: labels.flip.${key}`,
          hasMask ? "a flip mapping applies to vector labels only" : `needs ${labelLength} values, got ${flip[key].length}`,
        );
      }
    }
  }
  if (raw.masks && !hasMask) throw new InputError(`${where}: masks`, 'given but the items have no "mask"');
  return { ...raw, inputs: { ...raw.inputs, channels: c as 1 | 3, mean, std } };
}

function perChannel(value: number | number[], channels: number, where: string): number[] {
  if (typeof value === "number") return new Array<number>(channels).fill(value);
  if (value.length === 1) return new Array<number>(channels).fill(value[0]);
  if (value.length !== channels) throw new InputError(where, `needs 1 or ${channels} values, got ${value.length}`);
  return value;
}
