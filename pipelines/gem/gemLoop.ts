import { tap, timer, type Observable } from "rxjs";
import type { Simulation } from "../../sim/index.ts";
import { requireWorldKind } from "../../worlds/index.ts";
import { perceive } from "../operators/perceive.ts";
import { processLanes } from "../operators/processLanes.ts";
import type { Stamped } from "../operators/Stamped.ts";
import { steerToLane } from "../operators/steerToLane.ts";
import type { LaneMaskSource } from "../perception/PerceptionSource.ts";
import type { PerceptionLog } from "../runtime/PerceptionLog.ts";
import type { SimScheduler } from "../runtime/SimScheduler.ts";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";
import { GroundProjection } from "./GroundProjection.ts";
import type { LaneGeometry } from "./LaneGeometry.ts";
import { LanePostProcessor, type LaneEstimate, type LanePostProcessorOptions } from "./LanePostProcessor.ts";
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
  /** Record each perception frame (lane estimate, mask pixels and truth at capture; `LANE_PERCEPTION_FIELDS`) for a replay. */
  perceptionLog?: PerceptionLog;
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
  const { laneFrame } = requireWorldKind(sim.world, "track", "run.world", "the GEM loop");
  const log = opts.perceptionLog;
  let maskPixels = 0;
  const logMask = (m: Stamped<Uint8Array>): void => {
    if (!log) return;
    const cam = perception.maskCamera();
    log.latestMask = { mask: m.value, width: cam.width, height: cam.height };
    let n = 0;
    for (let i = 0; i < m.value.length; i++) n += m.value[i];
    maskPixels = n;
  };
  const logLane = (e: Stamped<LaneEstimate>): void => {
    if (!log) return;
    const f = laneFrame(sim.pose(), opts.frontAxleX);
    const row = log.row;
    row[0] = e.t;
    row[1] = e.value.crossTrack;
    row[2] = e.value.headingError;
    row[3] = maskPixels;
    row[4] = f.crossTrack;
    row[5] = f.headingError;
    log.commit();
  };
  return timer(0, 1000 / opts.fps, scheduler).pipe(
    perceive(perception, scheduler),
    tap(logMask),
    processLanes(
      () =>
        new LanePostProcessor(new GroundProjection(perception.maskCamera()), opts.lane, { frontAxleX: opts.frontAxleX, ...opts.postProcessor }),
    ),
    tap(logLane),
    steerToLane(sim, scheduler, recorder, {
      latency: opts.latency,
      controlHz: opts.controlHz,
      controller: new StanleyController(opts.stanley),
      truth: (pose) => laneFrame(pose, opts.frontAxleX),
    }),
  );
}
