import { GEM_E2, LANE_POSE_LOOKAHEAD } from "../../sim/index.ts";

/** Options of {@link PurePursuitController}; defaults are the GEM e2's geometry and limits. */
export interface PurePursuitOptions {
  /** Distance between the axles (m); the pose is the body centre, midway between them. @default 1.75 (GEM e2) */
  wheelbase?: number;
  /** Cruise speed (m/s), commanded constantly. @default 4 */
  speed?: number;
  /** Steering limit (rad). @default 0.61 (GEM e2) */
  maxSteer?: number;
  /**
   * How far ahead of the body centre the perceived lane pose is taken (m): the goal point's distance.
   * Must match the perception's label. @default 8 (`LANE_POSE_LOOKAHEAD`)
   */
  lookahead?: number;
}

/**
 * Pure pursuit on a perceived lane pose. The goal point is the lane-centre
 * point beside the spot `lookahead` m ahead of the body centre: with the
 * perceived offset e of that spot from the centre and heading error θ there,
 * the goal lies at (lookahead − e·sin θ, −e·cos θ) in the body frame. Seen
 * from the rear axle, the circular arc through it has curvature
 * κ = 2y / (x² + y²), and the bicycle model steers δ = atan(wheelbase·κ),
 * clipped to ±maxSteer. Because the goal is on the lane itself, the curve
 * ahead enters through e: no separate curvature estimate is needed.
 */
export class PurePursuitController {
  readonly wheelbase: number;
  readonly speed: number;
  readonly maxSteer: number;
  readonly lookahead: number;
  private readonly cmd = { speed: 0, steer: 0 };

  constructor(opts: PurePursuitOptions = {}) {
    this.wheelbase = opts.wheelbase ?? GEM_E2.wheelbase;
    this.speed = opts.speed ?? 4;
    this.maxSteer = opts.maxSteer ?? GEM_E2.maxSteer;
    this.lookahead = opts.lookahead ?? LANE_POSE_LOOKAHEAD;
  }

  /**
   * The command for the lane pose `lookahead` m ahead: `crossTrack` (m, > 0 when left of the lane centre)
   * and `headingError` (rad). The returned object is reused by the next call.
   */
  command(crossTrack: number, headingError: number): { speed: number; steer: number } {
    const x = this.lookahead - crossTrack * Math.sin(headingError) + this.wheelbase / 2;
    const y = -crossTrack * Math.cos(headingError);
    const kappa = (2 * y) / (x * x + y * y);
    this.cmd.speed = this.speed;
    this.cmd.steer = Math.max(-this.maxSteer, Math.min(this.maxSteer, Math.atan(this.wheelbase * kappa)));
    return this.cmd;
  }
}
