import { map, timer, type Observable } from "rxjs";
import type { Simulation } from "../../sim/index.ts";
import { requireWorldKind } from "../../worlds/index.ts";
import { actuate } from "../operators/actuate.ts";
import { holdLatest } from "../operators/holdLatest.ts";
import { perceive } from "../operators/perceive.ts";
import { processLanes } from "../operators/processLanes.ts";
import { recordStep } from "../operators/recordStep.ts";
import { withLatency } from "../operators/withLatency.ts";
import type { LaneMaskSource } from "../perception/PerceptionSource.ts";
import type { SimScheduler } from "../runtime/SimScheduler.ts";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";
import { GroundProjection } from "./GroundProjection.ts";
import type { LaneGeometry } from "./LaneGeometry.ts";
import { LanePostProcessor, type LanePostProcessorOptions } from "./LanePostProcessor.ts";
import { StanleyController, type StanleyOptions } from "./StanleyController.ts";

/** Rates and tuning of the GEM loop. */
export interface GemLoopOptions {
  /** Perception rate (Hz). */
  fps: number;
  /** Perception latency (s). */
  latency: number;
  /** Controller rate (Hz). @default 20 in the run configuration */
  controlHz: number;
  /** Painted-line layout of the track. */
  lane: LaneGeometry;
  /** Front axle ahead of the pose (m): where Stanley's errors (estimated and recorded) are taken. */
  frontAxleX: number;
  stanley?: StanleyOptions;
  postProcessor?: LanePostProcessorOptions;
}

/**
 * The GEM closed loop as one pipe on simulated time: lane masks at `fps` →
 * post-processing (clean, bird's-eye view, robust line fits, errors at the
 * front axle) → `latency` → Stanley at `controlHz` → cart.
 */
export function gemLoop(
  sim: Simulation,
  scheduler: SimScheduler,
  perception: LaneMaskSource,
  recorder: TrajectoryRecorder,
  opts: GemLoopOptions,
): Observable<{ speed: number; steer: number }> {
  const stanley = new StanleyController(opts.stanley);
  const { laneFrame } = requireWorldKind(sim.world, "track", "run.world", "the GEM loop");
  let estCross = 0;
  let estHeading = 0;
  return timer(0, 1000 / opts.fps, scheduler).pipe(
    perceive(perception, scheduler),
    processLanes(
      () =>
        new LanePostProcessor(new GroundProjection(perception.maskCamera()), opts.lane, { frontAxleX: opts.frontAxleX, ...opts.postProcessor }),
    ),
    withLatency(opts.latency, scheduler),
    holdLatest(1 / opts.controlHz, scheduler),
    map((lane) => {
      estCross = lane.value.crossTrack;
      estHeading = lane.value.headingError;
      return stanley.command(lane.value.crossTrack, lane.value.headingError);
    }),
    actuate(sim),
    recordStep(recorder, (cmd, row) => {
      const pose = sim.pose();
      const f = laneFrame(pose, opts.frontAxleX);
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
