import { InputError, Random } from "../../common/index.ts";
import type { NnModel } from "./NnModel.ts";

/** Options of {@link measureInterleaved}. */
export interface InterleavedOptions {
  /** Untimed runs of each model before timing. @default 20 */
  warmup?: number;
  /** Rounds; each round times one block of every model. @default 15 */
  rounds?: number;
  /** Timed runs per block. @default 20 */
  runsPerBlock?: number;
}

/** Latency of one model from {@link measureInterleaved} (ms, batch 1). */
export interface InterleavedLatency {
  /** Median of all timed runs. */
  medianMs: number;
  /** 10th / 90th percentile of the per-round block medians: where a repeated measurement is expected to land. */
  p10Ms: number;
  p90Ms: number;
  /** Timed runs in total. */
  runs: number;
  /**
   * Speed-up over the first model: median over rounds of (first model's block
   * median ÷ this model's block median), with its 10th/90th percentiles. 1 for the first model.
   */
  speedup: { median: number; p10: number; p90: number };
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const sortedCopy = (xs: ArrayLike<number>) => Float64Array.from(xs).sort();

/**
 * Batch-1 latency of several models measured **interleaved**: every round
 * times one block of runs of each model, in an order that rotates per round,
 * so drift in machine load (other processes, frequency scaling) hits every
 * model alike instead of whichever happened to run during a busy second.
 * Speed-ups are taken per round (same conditions) and their median reported.
 * Feed the original first to get speed-ups over it. Inputs are fixed seeded
 * noise of each model's input shape.
 *
 * @example
 * const [orig, pruned] = await measureInterleaved([original, candidate]);
 * console.log(pruned.medianMs, pruned.speedup.median);
 */
export async function measureInterleaved(models: readonly NnModel[], opts: InterleavedOptions = {}): Promise<InterleavedLatency[]> {
  const warmup = opts.warmup ?? 20;
  const rounds = opts.rounds ?? 15;
  const perBlock = opts.runsPerBlock ?? 20;
  if (models.length === 0) throw new InputError("measureInterleaved.models", "expected at least one model");
  for (const [name, v] of [
    ["rounds", rounds],
    ["runsPerBlock", perBlock],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`measureInterleaved.${name}`, `expected a positive integer, got ${v}`);
  }
  const rng = new Random("latency-input");
  const inputs = models.map((m) => Float32Array.from({ length: m.inputShape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
  for (const [i, m] of models.entries()) for (let k = 0; k < warmup; k++) await m.run(inputs[i]);
  const all = models.map(() => new Float64Array(rounds * perBlock));
  const blockMedians = models.map(() => new Float64Array(rounds));
  const block = new Float64Array(perBlock);
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < models.length; j++) {
      const i = (r + j) % models.length;
      for (let k = 0; k < perBlock; k++) {
        const t0 = performance.now();
        await models[i].run(inputs[i]);
        block[k] = performance.now() - t0;
      }
      all[i].set(block, r * perBlock);
      blockMedians[i][r] = quantile(sortedCopy(block), 0.5);
    }
  }
  return models.map((_, i) => {
    const med = sortedCopy(blockMedians[i]);
    const ratios = sortedCopy(blockMedians[0].map((b0, r) => b0 / blockMedians[i][r]));
    return {
      medianMs: quantile(sortedCopy(all[i]), 0.5),
      p10Ms: quantile(med, 0.1),
      p90Ms: quantile(med, 0.9),
      runs: rounds * perBlock,
      speedup: { median: quantile(ratios, 0.5), p10: quantile(ratios, 0.1), p90: quantile(ratios, 0.9) },
    };
  });
}
