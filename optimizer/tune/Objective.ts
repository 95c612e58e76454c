import type { Candidate } from "./Candidate.ts";

/**
 * What guided tuning maximizes over valid combinations. `score` must be
 * higher-is-better; `describe` turns a score into words for reports.
 */
export interface Objective {
  readonly name: string;
  score(candidates: readonly Candidate[], knobs: Readonly<Record<string, number>>): number;
  describe(score: number): string;
}

/**
 * CropFollow's objective: the highest minimum frame rate of the NNs, i.e.
 * the slowest NN's batch-1 FPS (the NNs run one after the other per frame in
 * the original, but each must keep up with the camera on its own core).
 */
export const maxMinFps: Objective = {
  name: "max-min-fps",
  score(candidates) {
    let worst = 0;
    for (const c of candidates) worst = Math.max(worst, c.latencyMs);
    return worst > 0 ? 1000 / worst : Infinity;
  },
  describe: (score) => `min FPS ${score.toFixed(1)}`,
};

/**
 * GEM's objective: the lowest compute utilization at the required rate,
 * Σ latency × rate over the NNs (1.0 = one core busy all the time). The rate
 * comes from the `fps` knob, or `defaultFps` when the knob is absent.
 */
export function minUtilization(defaultFps: number): Objective {
  return {
    name: "min-utilization",
    score(candidates, knobs) {
      const fps = knobs.fps ?? defaultFps;
      let busyMs = 0;
      for (const c of candidates) busyMs += c.latencyMs;
      return -(busyMs * fps) / 1000;
    },
    describe: (score) => `utilization ${Number((-score * 100).toPrecision(3))}%`,
  };
}
