import type { PerceptionSource } from "../perception/PerceptionSource.ts";

/**
 * What the lane-pose perception reports: the right lane's pose at the point
 * `LANE_POSE_LOOKAHEAD` m ahead of the cart's body centre (the `lanepose`
 * dataset's label, in `world.laneFrame` conventions).
 */
export interface LanePose {
  /** Signed offset (m) of that point from the lane centre; > 0 when it lies left of the centre. */
  crossTrack: number;
  /** Cart yaw − lane tangent at that point (rad). */
  headingError: number;
}

/** A perception stage that reports {@link LanePose}s (oracle, injected error, or a CNN on frames). */
export type LanePoseSource = PerceptionSource<LanePose>;
