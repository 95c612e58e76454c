import type { CollisionEvent, Simulation } from "../../sim/index.ts";
import type { StopReason } from "../runtime/runClosedLoop.ts";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";

/** Quality of service of one closed-loop run. */
export interface RunSummary {
  seed: number;
  /** Collisions counted (contact onsets with distinct obstacles); a lower bound when `stopReason` is "collisions". */
  collisions: number;
  collisionEvents: CollisionEvent[];
  /** Path length actually driven (m), from the pose at the control rate. */
  distanceMeters: number;
  /** Reached the end of the row / route. */
  completed: boolean;
  stopReason: StopReason;
  /** Simulated time of the run (s). */
  duration: number;
  /**
   * Cross-track error (m) RMS and max absolute: CropFollow, offset of the robot centre from the inter-row
   * centre line; GEM, offset of the front axle from the lane centre.
   */
  crossTrackRms: number;
  crossTrackMax: number;
  /** Heading error relative to the row/lane (rad), RMS. */
  headingRms: number;
  /** SHA-256 of the recorded trajectory; equal hashes mean bit-identical runs. */
  trajectoryHash: string;
  /** The trajectory itself (row-major, `TRAJECTORY_FIELDS` columns), when it was asked for. */
  trajectory?: Float64Array;
  /** The perception log's rows (see `PerceptionLog`), when recordings were asked for. */
  perception?: Float64Array;
}

/** Summarises a finished run from the simulation state and its trajectory. */
export function summarizeRun(seed: number, sim: Simulation, trajectory: TrajectoryRecorder, stopReason: StopReason): RunSummary {
  const n = trajectory.length;
  let dist = 0;
  let ct2 = 0;
  let ctMax = 0;
  let h2 = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) dist += Math.hypot(trajectory.get(i, "x") - trajectory.get(i - 1, "x"), trajectory.get(i, "y") - trajectory.get(i - 1, "y"));
    const ct = trajectory.get(i, "crossTrack");
    const h = trajectory.get(i, "heading");
    ct2 += ct * ct;
    h2 += h * h;
    if (Math.abs(ct) > ctMax) ctMax = Math.abs(ct);
  }
  return {
    seed,
    collisions: sim.collisions.count,
    collisionEvents: sim.collisions.events.map((e) => ({ ...e })),
    distanceMeters: dist,
    completed: sim.completed(),
    stopReason,
    duration: sim.time,
    crossTrackRms: n > 0 ? Math.sqrt(ct2 / n) : 0,
    crossTrackMax: ctMax,
    headingRms: n > 0 ? Math.sqrt(h2 / n) : 0,
    trajectoryHash: trajectory.hash(),
  };
}
