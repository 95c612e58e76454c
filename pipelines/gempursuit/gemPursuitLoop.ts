import { map, timer, type Observable } from "rxjs";
import type { Simulation } from "../../sim/index.ts";
import { requireWorldKind } from "../../worlds/index.ts";
import { actuate } from "../operators/actuate.ts";
import { holdLatest } from "../operators/holdLatest.ts";
import { perceive } from "../operators/perceive.ts";
import { recordStep } from "../operators/recordStep.ts";
import { withLatency } from "../operators/withLatency.ts";
import type { SimScheduler } from "../runtime/SimScheduler.ts";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";
import type { LanePose, LanePoseSource } from "./LanePoseSource.ts";
import { PurePursuitController, type PurePursuitOptions } from "./PurePursuitController.ts";

/** Rates and tuning of the GEM pure-pursuit loop. */
export interface GemPursuitLoopOptions {
  /** Perception rate (Hz). */
  fps: number;
  /** Perception latency (s). */
  latency: number;
  /** Controller rate (Hz). */
  controlHz: number;
  pursuit?: PurePursuitOptions;
}

const copyPose = (p: LanePose): LanePose => ({ crossTrack: p.crossTrack, headingError: p.headingError });

/**
 * The GEM pure-pursuit closed loop as one pipe on simulated time: lane pose
 * (8 m ahead) at `fps` → `latency` → pure pursuit at `controlHz` → cart.
 * Trajectory rows record the true offset and heading of the body centre
 * (what the QoS summary measures) and, as the estimates, the perceived lane
 * pose at the goal spot ahead (the controller's input; not the same point).
 */
export function gemPursuitLoop(
  sim: Simulation,
  scheduler: SimScheduler,
  perception: LanePoseSource,
  recorder: TrajectoryRecorder,
  opts: GemPursuitLoopOptions,
): Observable<{ speed: number; steer: number }> {
  const pursuit = new PurePursuitController(opts.pursuit);
  const { laneFrame } = requireWorldKind(sim.world, "track", "run.world", "the GEM pure-pursuit loop");
  let est: LanePose = { crossTrack: 0, headingError: 0 };
  return timer(0, 1000 / opts.fps, scheduler).pipe(
    perceive(perception, scheduler, copyPose),
    withLatency(opts.latency, scheduler),
    holdLatest(1 / opts.controlHz, scheduler),
    map((pose) => {
      est = pose.value;
      return pursuit.command(est.crossTrack, est.headingError);
    }),
    actuate(sim),
    recordStep(recorder, (cmd, row) => {
      const pose = sim.pose();
      const f = laneFrame(pose);
      row[0] = sim.time;
      row[1] = pose.x;
      row[2] = pose.y;
      row[3] = pose.yaw;
      row[4] = cmd.speed;
      row[5] = cmd.steer;
      row[6] = f.crossTrack;
      row[7] = f.headingError;
      row[8] = est.crossTrack;
      row[9] = est.headingError;
    }),
  );
}
