import type { Random } from "../../common/index.ts";
import type { Robot } from "../robots/Robot.ts";

/** One odometry sample: wheel-derived forward speed (m/s) and yaw rate (rad/s). */
export interface OdometrySample {
  t: number;
  v: number;
  omega: number;
}

/**
 * Wheel odometry: what the wheel encoders see, i.e. the wheels' motion, not
 * the body's. When the robot is stuck against a stem the wheels slip and
 * odometry keeps reporting motion, as on the real robot. Sampled at a fixed
 * rate with additive Gaussian noise (yaw-rate noise scaled by 1 rad/m).
 */
export class WheelOdometry {
  private readonly period: number;
  private nextT = 0;
  /** Latest sample, updated in place. */
  readonly sample: OdometrySample = { t: 0, v: 0, omega: 0 };

  /**
   * @param noiseStd standard deviation of the speed noise (m/s); yaw-rate noise uses the same number in rad/s.
   * @param rateHz sample rate. @default 50
   */
  constructor(
    private readonly rng: Random,
    private readonly noiseStd: number,
    rateHz = 50,
  ) {
    this.period = 1 / rateHz;
  }

  /** Called after each physics step with the simulated time. */
  update(t: number, robot: Robot): void {
    if (t + 1e-9 < this.nextT) return;
    this.nextT += this.period;
    this.sample.t = t;
    this.sample.v = robot.wheelV + this.rng.normal(0, this.noiseStd);
    this.sample.omega = robot.wheelOmega + this.rng.normal(0, this.noiseStd);
  }

  /** A copy of the latest sample. */
  read(): OdometrySample {
    return { ...this.sample };
  }
}
