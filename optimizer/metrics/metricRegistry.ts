import { NameRegistry } from "../../common/index.ts";
import type { TargetKind } from "../data/TensorDataset.ts";
import { accuracy } from "./classification.ts";
import { iou, maskMetric, precision, recall } from "./laneMask.ts";
import type { MetricFunction } from "./MetricFunction.ts";
import { bias, l1Error, l2Error, stdDev } from "./regression.ts";

/** A registered metric and the kind of labels it compares against. */
export interface RegisteredMetric {
  readonly metric: MetricFunction;
  /** `vector`: label vectors (regression, class indices); `mask`: per-pixel masks. */
  readonly target: TargetKind;
}

const entry = (metric: MetricFunction, target: TargetKind, description: string, aliases?: string[]) => ({
  name: metric.metricName,
  description,
  value: { metric, target },
  aliases,
});

/**
 * Every built-in metric by its `metricName` — the names calibration axes
 * (`heading.l1Error`), configs and `--metrics` use. `l1`/`l2` are short
 * aliases; the `@0` variants threshold mask logits at 0 (lane networks emit
 * logits), the plain ones at 0.5 (probabilities, 0/1 oracle masks).
 */
export const metricRegistry = new NameRegistry<RegisteredMetric>("metric").register(
  entry(l1Error, "vector", "mean |prediction − label|", ["l1"]),
  entry(l2Error, "vector", "root-mean-square error", ["l2"]),
  entry(bias, "vector", "|mean signed error|"),
  entry(stdDev, "vector", "standard deviation of the error"),
  entry(accuracy, "vector", "share of samples whose arg-max class is the label"),
  entry(recall, "mask", "lane-pixel recall, threshold 0.5"),
  entry(precision, "mask", "lane-pixel precision, threshold 0.5"),
  entry(iou, "mask", "lane-pixel intersection over union, threshold 0.5"),
  entry(maskMetric("recall", { threshold: 0 }), "mask", "lane-pixel recall on logits (threshold 0)"),
  entry(maskMetric("precision", { threshold: 0 }), "mask", "lane-pixel precision on logits (threshold 0)"),
  entry(maskMetric("iou", { threshold: 0 }), "mask", "lane-pixel IoU on logits (threshold 0)"),
);

/**
 * A built-in metric by name or alias.
 * @throws InputError naming `where` and the known metrics when the name is unknown.
 */
export function metricByName(name: string, where = "metric"): MetricFunction {
  return metricRegistry.get(name, where).metric;
}
