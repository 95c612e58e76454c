import { map, pipe, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { Simulation } from "../../sim/index.ts";
import type { LaneFrame, Pose2D } from "../../worlds/index.ts";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";
import { actuate } from "./actuate.ts";
import { holdLatest } from "./holdLatest.ts";
import { recordStep } from "./recordStep.ts";
import type { Stamped } from "./Stamped.ts";
import { withLatency } from "./withLatency.ts";

/** What a lane controller steers by: the lane errors at its reference point (m, rad). */
export interface LaneErrors {
  readonly crossTrack: number;
  readonly headingError: number;
}

/** Options of {@link steerToLane}. */
export interface SteerToLaneOptions {
  /** Perception latency (s). */
  latency: number;
  /** Controller rate (Hz). */
  controlHz: number;
  /** Lane errors → cart command (Stanley, pure pursuit). */
  controller: { command(crossTrack: number, headingError: number): { speed: number; steer: number } };
  /** The true lane errors of a pose, recorded beside the estimate (the track's `laneFrame` at the point the QoS judges). */
  truth: (pose: Pose2D) => LaneFrame;
}

/**
 * The control half of the cart's lane loops: stamped lane estimates →
 * `latency` → held at `controlHz` → controller → cart. Each control step
 * records a trajectory row (`TRAJECTORY_FIELDS`): time, pose, command, the
 * true lane errors and the estimate the command was computed from.
 */
export function steerToLane(
  sim: Simulation,
  scheduler: SchedulerLike,
  recorder: TrajectoryRecorder,
  opts: SteerToLaneOptions,
): OperatorFunction<Stamped<LaneErrors>, { speed: number; steer: number }> {
  let estCross = 0;
  let estHeading = 0;
  return pipe(
    withLatency(opts.latency, scheduler),
    holdLatest(1 / opts.controlHz, scheduler),
    map((lane) => {
      estCross = lane.value.crossTrack;
      estHeading = lane.value.headingError;
      return opts.controller.command(estCross, estHeading);
    }),
    actuate(sim),
    recordStep(recorder, (cmd, row) => {
      const pose = sim.pose();
      const f = opts.truth(pose);
      row[0] = sim.time;
      row[1] = pose.x;
      row[2] = pose.y;
      row[3] = pose.yaw;
      row[4] = cmd.speed;
      row[5] = cmd.steer;
      row[6] = f.crossTrack;
      row[7] = f.headingError;
      row[8] = estCross;
      row[9] = estHeading;
    }),
  );
}
