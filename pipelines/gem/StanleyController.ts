/** Options of {@link StanleyController}; defaults are the GEM e2 values of the original system. */
export interface StanleyOptions {
  /** Cross-track gain k (1/s). @default 0.45 */
  gain?: number;
  /** Cruise speed v (m/s), commanded and used in the law. @default 2.8 */
  speed?: number;
  /** Steering limit (rad). @default 0.61 */
  maxSteer?: number;
}

/**
 * Stanley lateral controller: δ = θe + atan(k·e / v), clipped to ±maxSteer,
 * at constant speed v.
 *
 * In Stanley's convention θe and e point *toward the path* (positive = steer
 * left). Our estimates use the simulator's `laneFrame` convention (vehicle
 * relative to the lane: cross-track > 0 left of centre, heading error = yaw −
 * lane tangent), so θe = −headingError and e = −crossTrack. Using the cruise
 * speed rather than the measured one keeps the gain finite at start-up, as the
 * GEM's own controller does.
 */
export class StanleyController {
  readonly gain: number;
  readonly speed: number;
  readonly maxSteer: number;
  private readonly cmd = { speed: 0, steer: 0 };

  constructor(opts: StanleyOptions = {}) {
    this.gain = opts.gain ?? 0.45;
    this.speed = opts.speed ?? 2.8;
    this.maxSteer = opts.maxSteer ?? 0.61;
  }

  /**
   * The command for cross-track error `crossTrack` (m) and `headingError` (rad) at the front axle.
   * The returned object is reused by the next call.
   */
  command(crossTrack: number, headingError: number): { speed: number; steer: number } {
    const delta = -headingError + Math.atan((this.gain * -crossTrack) / this.speed);
    this.cmd.speed = this.speed;
    this.cmd.steer = Math.max(-this.maxSteer, Math.min(this.maxSteer, delta));
    return this.cmd;
  }
}
