import type { BuiltWorld, Pose2D } from "../../worlds/index.ts";

/**
 * Distance (m) ahead of the GEM's body centre, along its heading, at which
 * the `lanepose` label is taken. 8 m is inside what the roof camera sees
 * well (lane lines 3–20 m ahead) and long enough that the lane's offset
 * there already carries the curve ahead: a pure-pursuit controller steering
 * at that point needs no separate curvature estimate.
 */
export const LANE_POSE_LOOKAHEAD = 8;

/** Names of the `lanepose` label columns, in order. */
export const LANE_POSE_LABELS = ["crossTrack", "headingError"] as const;

/**
 * The `lanepose` label of a camera pose on a track: the right lane's
 * `laneFrame` at the point {@link LANE_POSE_LOOKAHEAD} m ahead — the signed
 * offset (m, > 0 when that point is left of the lane centre) and the heading
 * error (rad, vehicle yaw − lane tangent there). Writes into `out`.
 */
export function lanePoseLabel(world: BuiltWorld, pose: Pose2D, out: [number, number] = [0, 0]): [number, number] {
  if (world.kind !== "track") throw new Error(`a ${world.kind} world has no lane frame`);
  const f = world.laneFrame(pose, LANE_POSE_LOOKAHEAD);
  out[0] = f.crossTrack;
  out[1] = f.headingError;
  return out;
}
