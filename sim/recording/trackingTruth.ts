import type { BuiltWorld, Pose2D } from "../../worlds/index.ts";
import { GEM_E2 } from "../robots/GemE2.ts";
import type { RobotKind } from "../robots/Robot.ts";

/**
 * Where a robot's tracking error is taken, ahead of its pose (m): the GEM's
 * front axle (Stanley's reference point; the body centre is midway between the
 * axles), TerraSentia's centre.
 */
export function trackingPointAhead(robot: RobotKind): number {
  return robot === "gem" ? GEM_E2.wheelbase / 2 : 0;
}

/**
 * Ground-truth tracking error of `pose` as `trajectory.jsonl` records it:
 * cross-track (m, > 0 left; crop field: offset from the inter-row centre;
 * track: offset of {@link trackingPointAhead} from the right lane's centre) and
 * heading error (rad).
 */
export function trackingTruth(world: BuiltWorld, robot: RobotKind, pose: Pose2D): { crossTrack: number; heading: number } {
  if (world.kind === "cropfield") {
    const f = world.rowFrame(pose);
    return { crossTrack: (f.dRight - f.dLeft) / 2, heading: f.heading };
  }
  const f = world.laneFrame(pose, trackingPointAhead(robot));
  return { crossTrack: f.crossTrack, heading: f.headingError };
}
