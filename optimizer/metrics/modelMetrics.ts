import type { TensorDataset } from "../data/TensorDataset.ts";
import type { NnModel } from "../runtime/NnModel.ts";
import { predictDataset } from "./predictDataset.ts";

/** The first output of `model` on every sample of `ds`, in batches of 64. */
function predictFirstOutput(model: NnModel, ds: TensorDataset): Promise<Float32Array> {
  const runner = {
    name: model.outputNames[0],
    run: async (batch: Float32Array, n: number) => {
      const out = await model.run(batch, n);
      return out instanceof Float32Array ? out : out[model.outputNames[0]];
    },
  };
  return predictDataset(runner, ds, 64);
}

/**
 * Mean absolute error of a one-output regression model on a dataset with one
 * target per sample (target units), e.g. a `labelColumn` view.
 */
export async function regressionL1(model: NnModel, ds: TensorDataset): Promise<number> {
  const p = await predictFirstOutput(model, ds);
  let s = 0;
  for (let i = 0; i < ds.size; i++) s += Math.abs(p[i] - ds.targets[i]);
  return s / ds.size;
}

/**
 * Lane-pixel recall, precision and IoU of a logits mask model (lane where
 * logit > 0) over a mask dataset (lane where target > 0.5).
 *
 * @throws Error if the model's mask and the dataset's differ in size.
 */
export async function laneMaskMetrics(model: NnModel, ds: TensorDataset): Promise<{ recall: number; precision: number; iou: number }> {
  const p = await predictFirstOutput(model, ds);
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
