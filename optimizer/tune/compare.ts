import type { Candidate, Combination } from "./Candidate.ts";

/** Latency, size and FLOPs of one combination against another (ratios > 1 mean the first is better). */
export interface Comparison {
  /** Σ latency of the other / Σ latency of this (compute per frame). */
  speedup: number;
  /** Per NN: latency of the other / latency of this. */
  speedupByNn: Record<string, number>;
  /** Σ encoded size of the other / Σ size of this. */
  sizeReduction: number;
  /** Σ FLOPs of the other / Σ FLOPs of this. */
  flopsReduction: number;
  /**
   * Compute utilization of the other / this: Σ latency × perception rate
   * (the `fps` knob; equal to `speedup` when neither has one).
   */
  utilizationReduction: number;
}

/** How combination `a` compares with `b` (ratios > 1: `a` is faster/smaller). */
export function compare(a: Combination, b: Combination): Comparison {
  const sum = (c: Combination, f: (x: Candidate) => number) => c.candidates.reduce((s, x) => s + f(x), 0);
  const speedupByNn: Record<string, number> = {};
  a.candidates.forEach((x, i) => (speedupByNn[x.nn] = b.candidates[i].latencyMs / x.latencyMs));
  return {
    speedup: sum(b, (x) => x.latencyMs) / sum(a, (x) => x.latencyMs),
    speedupByNn,
    sizeReduction: sum(b, (x) => x.sizeBytes) / sum(a, (x) => x.sizeBytes),
    flopsReduction: sum(b, (x) => x.flops) / sum(a, (x) => x.flops),
    utilizationReduction: (sum(b, (x) => x.latencyMs) * (b.knobs.fps ?? 1)) / (sum(a, (x) => x.latencyMs) * (a.knobs.fps ?? 1)),
  };
}
