import type { Candidate } from "./Candidate.ts";

/**
 * What guided tuning optimizes over valid combinations. `score` must be
 * higher-is-better (a minimized quantity is negated); `describe` turns a
 * score into words for reports.
 */
export interface Objective {
  readonly name: string;
  score(candidates: readonly Candidate[], knobs: Readonly<Record<string, number>>): number;
  describe(score: number): string;
}

/**
 * `min-fps` (CropFollow, as in the paper): the pipeline's frame rate is its
 * slowest network's, min over the NNs of batch-1 FPS = 1000 / latency (ms);
 * maximized. Each NN is taken to keep up with the camera on its own core, as
 * the paper's pipeline FPS = min(FPS heading, FPS distance).
 */
export const minFps: Objective = {
  name: "min-fps",
  score(candidates) {
    let worst = 0;
    for (const c of candidates) worst = Math.max(worst, c.latencyMs);
    return worst > 0 ? 1000 / worst : Infinity;
  },
  describe: (score) => `pipeline FPS ${score.toFixed(1)}`,
};

/**
 * `utilization` (the GEM, as in the paper): the compute share the perception
 * needs at its required rate, Σ over the NNs of rate (Hz) × latency (s)
 * (1.0 = one core busy all the time; the paper's "required FPS ÷ model
 * FPS"); minimized, so the score is its negation. The rate is the `fps` knob
 * when searched (the perception rate is itself a knob), else `defaultFps`.
 */
export function utilization(defaultFps: number): Objective {
  return {
    name: "utilization",
    score(candidates, knobs) {
      const fps = knobs.fps ?? defaultFps;
      let busyMs = 0;
      for (const c of candidates) busyMs += c.latencyMs;
      return -(busyMs * fps) / 1000;
    },
    describe: (score) => `utilization ${Number((-score * 100).toPrecision(3))}%`,
  };
}
