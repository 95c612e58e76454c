import type { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import { asModelRunner } from "../metrics/asModelRunner.ts";
import type { Model } from "../onnx/ir.ts";
import { modelStats } from "../onnx/modelStats.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { loadModel } from "../runtime/loadModel.ts";
import { groupMetrics, worldSpreadOf } from "../errors/worldSpread.ts";
import type { Candidate, WorldEquivalence } from "./Candidate.ts";

/** Options of {@link measureCandidate}. */
export interface MeasureCandidateOptions {
  /** Untimed inference runs before timing. @default 3 */
  warmup?: number;
  /** Timed batch-1 runs; the median is kept. @default 20 */
  runs?: number;
  /** Also measure each metric per world and place the candidate by its world-equivalent level. @default none */
  worldEquivalence?: WorldEquivalence;
}

/**
 * Measures one NN version without the simulator: every metric of `metrics`
 * that belongs to NN `nn` on `dataset`, the median batch-1 latency on one
 * onnxruntime thread, FLOPs, parameters and encoded size.
 */
export async function measureCandidate(
  identity: Pick<Candidate, "nn" | "backbone" | "approximator" | "level" | "fraction">,
  model: Model,
  metrics: readonly ErrorMetric[],
  dataset: LabeledDataset,
  options: MeasureCandidateOptions = {},
): Promise<Candidate> {
  const where = `${identity.nn}${identity.backbone !== undefined ? ` ${identity.backbone}` : ""} ${identity.approximator} level ${identity.level}`;
  const loaded = await loadModel(model, { intraOpThreads: 1, where });
  try {
    const runner = asModelRunner(identity.nn, loaded);
    const values: Record<string, number> = {};
    const world = options.worldEquivalence;
    const budget: Record<string, number> = {};
    const worldSpread: Record<string, number> = {};
    for (const metric of metrics) {
      if (metric.model.name !== identity.nn) continue;
      const pairs = await metric.pairsOn(runner, dataset);
      const value = metric.fn(pairs.predictions, pairs.labels, pairs.count);
      values[metric.name] = value;
      if (!world?.errors.hasWorldSpread(identity.nn) || value <= 0) continue;
      worldSpread[metric.name] = worldSpreadOf(groupMetrics(metric.fn, pairs.predictions, pairs.labels, world.groups), value);
      budget[metric.name] = world.errors.worldEquivalentLevel(identity.nn, value, worldSpread[metric.name]);
    }
    const latency = await loaded.measureLatency({ warmup: options.warmup ?? 3, runs: options.runs ?? 20 });
    const stats = modelStats(model, { where });
    return {
      ...identity,
      model,
      metrics: values,
      ...(Object.keys(budget).length > 0 ? { budget, worldSpread } : {}),
      latencyMs: latency.medianMs,
      flops: stats.totalFlops,
      params: stats.totalParams,
      sizeBytes: encodeModel(model).byteLength,
    };
  } finally {
    await loaded.dispose();
  }
}
