import { timer, type Observable } from "rxjs";
import type { Simulation } from "../../sim/index.ts";
import { requireWorldKind } from "../../worlds/index.ts";
import { perceive } from "../operators/perceive.ts";
import { steerToLane } from "../operators/steerToLane.ts";
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
  const { laneFrame } = requireWorldKind(sim.world, "track", "run.world", "the GEM pure-pursuit loop");
  return timer(0, 1000 / opts.fps, scheduler).pipe(
    perceive(perception, scheduler, copyPose),
    steerToLane(sim, scheduler, recorder, {
      latency: opts.latency,
      controlHz: opts.controlHz,
      controller: new PurePursuitController(opts.pursuit),
      truth: (pose) => laneFrame(pose),
    }),
  );
}
