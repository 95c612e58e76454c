/**
 * A planar pose in the world frame (Z up, ground = x/y plane).
 * `x`, `y` in metres; `yaw` in radians, counter-clockwise from +x.
 */
export interface Pose2D {
  x: number;
  y: number;
  yaw: number;
}

/** Wraps an angle (rad) into (−π, π]. */
export function wrapAngle(a: number): number {
  const twoPi = 2 * Math.PI;
  let r = a - twoPi * Math.floor((a + Math.PI) / twoPi);
  // floor puts exactly −π at −π; the contract's interval is half-open on the left.
  if (r <= -Math.PI) r += twoPi;
  return r;
}
