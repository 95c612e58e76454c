import { map, type OperatorFunction } from "rxjs";
import type { Simulation } from "../../sim/index.ts";

/** One inertial sample for fusion: time (s), odometry speed (m/s) and gyro yaw rate (rad/s). */
export interface InertialSample {
  kind: "inertial";
  t: number;
  v: number;
  omega: number;
}

/**
 * On each trigger (an IMU tick), reads the simulation's IMU yaw rate (gyro z)
 * and the odometry speed. The emitted object is reused; consume it at once.
 */
export function readInertial(sim: Simulation): OperatorFunction<unknown, InertialSample> {
  const sample: InertialSample = { kind: "inertial", t: 0, v: 0, omega: 0 };
  return map(() => {
    const imu = sim.readImu();
    sample.t = sim.time;
    sample.omega = imu.gyro[2];
    sample.v = sim.readOdometry().v;
    return sample;
  });
}
