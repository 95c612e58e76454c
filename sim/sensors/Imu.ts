import { Quaternion, Vec3, type Body } from "cannon-es";
import type { Random } from "../../common/index.ts";

/** IMU options; noise and bias are standard deviations of zero-mean Gaussians. */
export interface ImuOptions {
  /** Sample rate (Hz). @default 100 */
  rateHz?: number;
  /** White noise on each gyro axis per sample (rad/s). @default 0.002 */
  gyroNoiseStd?: number;
  /** Constant per-run gyro bias, drawn once per axis (rad/s). @default 0.001 */
  gyroBiasStd?: number;
  /** White noise on each accelerometer axis per sample (m/s²). @default 0.02 */
  accelNoiseStd?: number;
  /** Constant per-run accelerometer bias, drawn once per axis (m/s²). @default 0.01 */
  accelBiasStd?: number;
}

/** One IMU sample in the robot frame (x forward, y left, z up). */
export interface ImuSample {
  /** Sample time (s). */
  t: number;
  /** Angular velocity (rad/s). */
  gyro: [number, number, number];
  /** Specific force (m/s²): acceleration minus gravity, so +9.81 on z at rest. */
  accel: [number, number, number];
}

const _w = new Vec3();
const _a = new Vec3();
const _qInv = new Quaternion();

/**
 * Gyro + accelerometer sampled at a fixed rate from the body's true motion.
 * Acceleration is the mean over the sample interval (velocity difference),
 * which is what an IMU's anti-alias filter reports. Bias is drawn once; noise
 * per sample, both from the run's seeded stream.
 */
export class Imu {
  private readonly period: number;
  private nextT = 0;
  private lastT = 0;
  private readonly lastV = new Float64Array(3);
  private readonly gyroBias: Float64Array;
  private readonly accelBias: Float64Array;
  private readonly gyroNoise: number;
  private readonly accelNoise: number;
  /** Latest sample, updated in place. */
  readonly sample = { t: 0, gyro: new Float64Array(3), accel: new Float64Array([0, 0, 9.81]) };

  constructor(
    private readonly rng: Random,
    opts: ImuOptions = {},
  ) {
    this.period = 1 / (opts.rateHz ?? 100);
    this.gyroNoise = opts.gyroNoiseStd ?? 0.002;
    this.accelNoise = opts.accelNoiseStd ?? 0.02;
    const gb = opts.gyroBiasStd ?? 0.001;
    const ab = opts.accelBiasStd ?? 0.01;
    this.gyroBias = new Float64Array([rng.normal(0, gb), rng.normal(0, gb), rng.normal(0, gb)]);
    this.accelBias = new Float64Array([rng.normal(0, ab), rng.normal(0, ab), rng.normal(0, ab)]);
  }

  /** Called after each physics step with the simulated time; samples when a period has elapsed. */
  update(t: number, body: Body): void {
    if (t + 1e-9 < this.nextT) return;
    this.nextT += this.period;
    const v = body.velocity;
    const span = t - this.lastT;
    if (span > 0) {
      _a.set((v.x - this.lastV[0]) / span, (v.y - this.lastV[1]) / span, (v.z - this.lastV[2]) / span + 9.81);
    } else {
      _a.set(0, 0, 9.81);
    }
    this.lastT = t;
    this.lastV[0] = v.x;
    this.lastV[1] = v.y;
    this.lastV[2] = v.z;
    // Body.vectorToLocalFrame allocates a conjugate quaternion per call; reuse one.
    body.quaternion.conjugate(_qInv);
    _qInv.vmult(_a, _a);
    _qInv.vmult(body.angularVelocity, _w);
    const s = this.sample;
    s.t = t;
    s.gyro[0] = _w.x + this.gyroBias[0] + this.rng.normal(0, this.gyroNoise);
    s.gyro[1] = _w.y + this.gyroBias[1] + this.rng.normal(0, this.gyroNoise);
    s.gyro[2] = _w.z + this.gyroBias[2] + this.rng.normal(0, this.gyroNoise);
    s.accel[0] = _a.x + this.accelBias[0] + this.rng.normal(0, this.accelNoise);
    s.accel[1] = _a.y + this.accelBias[1] + this.rng.normal(0, this.accelNoise);
    s.accel[2] = _a.z + this.accelBias[2] + this.rng.normal(0, this.accelNoise);
  }

  /** A copy of the latest sample. */
  read(): ImuSample {
    const s = this.sample;
    return { t: s.t, gyro: [s.gyro[0], s.gyro[1], s.gyro[2]], accel: [s.accel[0], s.accel[1], s.accel[2]] };
  }
}
