import type { ErrorFamily, RegressionErrorModel } from "../errors/ErrorFamily.ts";
import type { ErrorSequences } from "../errors/ErrorSequences.ts";
import { errorSampleOf, findErrorDistribution, type ErrorSample } from "../errors/findErrorDistribution.ts";
import { asModelRunner } from "../metrics/asModelRunner.ts";
import type { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import type { Model } from "../onnx/ir.ts";
import { loadModel } from "../runtime/loadModel.ts";
import type { Backbone } from "./measureCandidates.ts";

/** Error families of NNs with several backbones (see {@link backboneErrorFamilies}). */
export interface BackboneErrorFamilies {
  /**
   * One family per NN, fitted on the originals and levels of all its
   * backbones: what calibration injects, since the error budget is per
   * network whatever the architecture that meets it.
   */
  pooled: Record<string, ErrorFamily>;
  /** One family per NN and backbone, keyed `<nn>/<backbone>`, fitted on that backbone's original and levels. */
  byBackbone: Record<string, ErrorFamily>;
}

/** Options of {@link backboneErrorFamilies}. */
export interface BackboneErrorFamiliesOptions {
  /** Lane-mask NNs and their mask shape [H, W] (as `findErrorDistribution` takes them). */
  masks?: Record<string, [number, number]>;
  /** How each regression NN's errors are modelled (as `findErrorDistribution`'s `regressionModel`). @default "gaussian" */
  regressionModels?: Record<string, RegressionErrorModel>;
  /** Closed-loop error sequences of a model, for `structured` families (as `findErrorDistribution`'s `sequences`). */
  sequences?: (nn: string, model: Model) => Promise<ErrorSequences | undefined>;
  /** The world of each dataset sample, for world spreads (as `findErrorDistribution`'s `groups`). */
  groups?: ArrayLike<number>;
  /** Called after each model is measured. */
  onModel?: (nn: string, backbone: string, level: number) => void;
}

/**
 * Error families per backbone and per network. Every model (each backbone's
 * original and each of its approximators' levels) is run once on `dataset`;
 * its predictions against the labels, at its metric level (the NN's metric in
 * `metrics`), are one sample. Each backbone's samples fit its own family
 * (`findErrorDistribution.fromSamples`); all of an NN's samples fit the
 * pooled family calibration uses.
 */
export async function backboneErrorFamilies(
  nns: readonly ModelRunner[],
  backbones: Readonly<Record<string, readonly Backbone[]>>,
  metrics: readonly ErrorMetric[],
  dataset: LabeledDataset,
  options: BackboneErrorFamiliesOptions = {},
): Promise<BackboneErrorFamilies> {
  const pooled: Record<string, ErrorFamily> = {};
  const byBackbone: Record<string, ErrorFamily> = {};
  const metricNames: Record<string, string> = {};
  for (const nn of nns) {
    const metric = metrics.find((m) => m.model.name === nn.name);
    const list = backbones[nn.name] ?? [];
    if (!metric || list.length === 0) continue;
    metricNames[nn.name] = metric.metricName;
    const shape = options.masks?.[nn.name];
    const regressionModel = options.regressionModels?.[nn.name] ?? "gaussian";
    const all: ErrorSample[] = [];
    for (const b of list) {
      const own: ErrorSample[] = [];
      const measure = async (model: Model, level: number) => {
        const loaded = await loadModel(model, { intraOpThreads: 1, where: `${nn.name} ${b.name} level ${level}` });
        try {
          const pairs = await metric.pairsOn(asModelRunner(nn.name, loaded), dataset);
          const sequences =
            !shape && regressionModel === "structured" && options.sequences ? await options.sequences(nn.name, model) : undefined;
          own.push(errorSampleOf(nn.name, pairs, metric.fn, { shape, sequences, groups: options.groups }));
        } finally {
          await loaded.dispose();
        }
        options.onModel?.(nn.name, b.name, level);
      };
      await measure(b.model, 0);
      for (const a of b.approximators ?? []) for await (const lvl of a.levels(b.model)) await measure(lvl.model, lvl.level);
      byBackbone[`${nn.name}/${b.name}`] = findErrorDistribution.fromSamples(own, { metrics: metricNames, regressionModel }).family(nn.name);
      all.push(...own);
    }
    pooled[nn.name] = findErrorDistribution.fromSamples(all, { metrics: metricNames, regressionModel }).family(nn.name);
  }
  return { pooled, byBackbone };
}
