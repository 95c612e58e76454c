/**
 * Lane-mask metrics. Predictions are N×H×W per-pixel scores, labels N×H×W
 * with lane pixels > 0.5. A pixel is predicted "lane" when its score is
 * ≥ `threshold` (0.5 for probabilities, 0 for logits). Counts are pooled over
 * all pixels of all samples (micro-averaged). All are in [0, 1],
 * higher-better.
 */
import { check } from "../../common/index.ts";
import { defineMetric, type MetricFunction } from "./MetricFunction.ts";

/** Pooled confusion counts of a thresholded mask against a label mask. */
export interface MaskConfusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/** Counts lane-pixel agreement; `threshold` applies to `predictions`, labels are lane when > 0.5. */
export function maskConfusion(predictions: Float32Array, labels: Float32Array, threshold = 0.5): MaskConfusion {
  check(
    predictions.length === labels.length,
    "lane mask",
    () => `predictions have ${predictions.length} pixels but labels have ${labels.length}`,
  );
  check(predictions.length > 0, "lane mask", () => "no pixels to evaluate");
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predictions.length; i++) {
    const predicted = predictions[i] >= threshold;
    const lane = labels[i] > 0.5;
    if (predicted) {
      if (lane) tp++;
      else fp++;
    } else if (lane) fn++;
  }
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: predictions.length - tp - fp - fn };
}

/** Which ratio of the confusion counts a lane-mask metric reports. */
export type MaskMetricKind = "recall" | "precision" | "iou";

/**
 * A lane-mask metric at a given score threshold.
 *
 * - recall = TP / (TP + FN): the share of lane pixels found;
 * - precision = TP / (TP + FP): the share of predicted pixels that are lane;
 * - iou = TP / (TP + FP + FN).
 *
 * An empty denominator (nothing to find, nothing predicted) scores 1: nothing
 * was missed or wrongly claimed.
 *
 * @param options.threshold score at or above which a pixel is lane. @default 0.5
 */
export function maskMetric(kind: MaskMetricKind, options: { threshold?: number } = {}): MetricFunction {
  const threshold = options.threshold ?? 0.5;
  const name = threshold === 0.5 ? kind : `${kind}@${threshold}`;
  const metric = defineMetric(name, "higher-better", (p, y) => {
    const c = maskConfusion(p, y, threshold);
    const tp = c.truePositives;
    const denominator =
      kind === "recall" ? tp + c.falseNegatives : kind === "precision" ? tp + c.falsePositives : tp + c.falsePositives + c.falseNegatives;
    return denominator === 0 ? 1 : tp / denominator;
  });
  return Object.assign(metric, { threshold });
}

/** Lane-pixel recall at threshold 0.5. Higher-better. */
export const recall: MetricFunction = maskMetric("recall");
/** Lane-pixel precision at threshold 0.5. Higher-better. */
export const precision: MetricFunction = maskMetric("precision");
/** Lane-pixel intersection over union at threshold 0.5. Higher-better. */
export const iou: MetricFunction = maskMetric("iou");
