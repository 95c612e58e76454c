import { Body, Box, Vec3 } from "cannon-es";
import type { Pose2D } from "../../worlds/index.ts";

/**
 * A dynamic box body resting on the ground at `pose`, free to translate but
 * rotating only about Z: a wheeled robot on flat ground does not roll or
 * pitch, and locking those axes keeps the contact solver cheap and stable.
 */
export function createBoxBody(length: number, width: number, height: number, mass: number, pose: Pose2D): Body {
  const body = new Body({ mass, shape: new Box(new Vec3(length / 2, width / 2, height / 2)) });
  body.position.set(pose.x, pose.y, height / 2);
  body.quaternion.setFromAxisAngle(new Vec3(0, 0, 1), pose.yaw);
  body.angularFactor.set(0, 0, 1);
  body.linearDamping = 0;
  body.angularDamping = 0;
  body.allowSleep = false;
  return body;
}
