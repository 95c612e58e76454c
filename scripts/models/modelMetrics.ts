import type { NnModel, TensorDataset } from "../../optimizer/index.ts";

/** Runs `model` over the whole dataset in batches; returns the first output, N × outputSize floats. */
export async function predictAll(model: NnModel, ds: TensorDataset, batch = 64): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let i = 0; i < ds.size; i += batch) {
    const n = Math.min(batch, ds.size - i);
    const out = await model.run(ds.inputs.subarray(i * ds.inputSize, (i + n) * ds.inputSize), n);
    parts.push(out instanceof Float32Array ? out : out[model.outputNames[0]]);
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

/** Mean absolute error of a one-output regression model on a [1]-target dataset (target units). */
export async function regressionL1(model: NnModel, ds: TensorDataset): Promise<number> {
  const p = await predictAll(model, ds);
  let s = 0;
  for (let i = 0; i < ds.size; i++) s += Math.abs(p[i] - ds.targets[i]);
  return s / ds.size;
}

/** Lane-pixel recall, precision and IoU of a logits mask model (lane where logit > 0) over a mask dataset. */
export async function laneMaskMetrics(model: NnModel, ds: TensorDataset): Promise<{ recall: number; precision: number; iou: number }> {
  const p = await predictAll(model, ds);
  if (p.length !== ds.targets.length) throw new Error(`model mask has ${p.length / ds.size} pixels per sample, dataset masks ${ds.targetSize}`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < p.length; i++) {
    const pred = p[i] > 0;
    const truth = ds.targets[i] > 0.5;
    if (pred && truth) tp++;
    else if (pred) fp++;
    else if (truth) fn++;
  }
  return { recall: tp / Math.max(1, tp + fn), precision: tp / Math.max(1, tp + fp), iou: tp / Math.max(1, tp + fp + fn) };
}
