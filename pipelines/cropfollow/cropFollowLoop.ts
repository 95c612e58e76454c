import { map, merge, tap, timer, type Observable } from "rxjs";
import type { Simulation } from "../../sim/index.ts";
import { requireWorldKind } from "../../worlds/index.ts";
import { actuate } from "../operators/actuate.ts";
import { fuseRowEstimate } from "../operators/fuseRowEstimate.ts";
import { holdLatest } from "../operators/holdLatest.ts";
import { perceive } from "../operators/perceive.ts";
import { readInertial } from "../operators/readInertial.ts";
import { recordStep } from "../operators/recordStep.ts";
import type { Stamped } from "../operators/Stamped.ts";
import { withLatency } from "../operators/withLatency.ts";
import type { RowMeasurement, RowPerceptionSource } from "../perception/PerceptionSource.ts";
import type { PerceptionLog } from "../runtime/PerceptionLog.ts";
import type { SimScheduler } from "../runtime/SimScheduler.ts";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";
import { RowEkf, type RowEkfOptions } from "./RowEkf.ts";
import { RowMpc, type RowMpcOptions } from "./RowMpc.ts";

/** Rates and tuning of the CropFollow loop. */
export interface CropFollowLoopOptions {
  /** Perception rate (Hz). */
  fps: number;
  /** Perception latency (s). */
  latency: number;
  /** IMU (= fusion) rate (Hz). */
  imuHz: number;
  /** Controller rate (Hz). */
  controlHz: number;
  /** Cruise speed (m/s). */
  speed: number;
  /** Distance between the plant rows (m). */
  rowSpacing: number;
  ekf?: RowEkfOptions;
  mpc?: RowMpcOptions;
  /** Record each perception frame (outputs and truth at capture; `ROW_PERCEPTION_FIELDS`) for a replay. */
  perceptionLog?: PerceptionLog;
}

const copyRow = (m: RowMeasurement): RowMeasurement => ({ heading: m.heading, distanceRatio: m.distanceRatio });

/**
 * The CropFollow closed loop as one pipe on simulated time:
 * IMU + odometry at `imuHz` and perception frames at `fps` (delayed by
 * `latency`) → EKF fusion → model-predictive control at `controlHz` → robot.
 * Subscribing starts it; {@link runClosedLoop} drives the clock.
 */
export function cropFollowLoop(
  sim: Simulation,
  scheduler: SimScheduler,
  perception: RowPerceptionSource,
  recorder: TrajectoryRecorder,
  opts: CropFollowLoopOptions,
): Observable<{ v: number; omega: number }> {
  const ekf = new RowEkf({ rowSpacing: opts.rowSpacing, inertialRateHz: opts.imuHz, historySeconds: opts.latency + 0.5, ...opts.ekf });
  const mpc = new RowMpc({ speed: opts.speed, period: 1 / opts.controlHz, ...opts.mpc });
  const { rowFrame } = requireWorldKind(sim.world, "cropfield", "run.world", "the CropFollow loop");
  let estY = 0;
  let estPsi = 0;
  const log = opts.perceptionLog;
  const logFrame = (m: Stamped<RowMeasurement>): void => {
    if (!log) return;
    const f = rowFrame(sim.pose());
    const row = log.row;
    row[0] = m.t;
    row[1] = m.value.heading;
    row[2] = m.value.distanceRatio;
    row[3] = f.heading;
    row[4] = f.distanceRatio;
    log.commit();
  };
  return merge(
    timer(0, 1000 / opts.imuHz, scheduler).pipe(readInertial(sim)),
    timer(0, 1000 / opts.fps, scheduler).pipe(perceive(perception, scheduler, copyRow), tap(logFrame), withLatency(opts.latency, scheduler)),
  ).pipe(
    fuseRowEstimate(ekf),
    holdLatest(1 / opts.controlHz, scheduler),
    map((est) => {
      estY = est.y;
      estPsi = est.psi;
      return { v: mpc.speed, omega: mpc.command(est.y, est.psi) };
    }),
    actuate(sim),
    recordStep(recorder, (cmd, row) => {
      const pose = sim.pose();
      const f = rowFrame(pose);
      row[0] = sim.time;
      row[1] = pose.x;
      row[2] = pose.y;
      row[3] = pose.yaw;
      row[4] = cmd.v;
      row[5] = cmd.omega;
      row[6] = (f.dRight - f.dLeft) / 2;
      row[7] = f.heading;
      row[8] = estY;
      row[9] = estPsi;
    }),
  );
}
