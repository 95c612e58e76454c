import type { Body } from "cannon-es";

/** Parameters of the tyre/track traction model. */
export interface TractionParams {
  /** Time constant (s) with which traction pulls the body onto the wheel motion; must exceed the step. */
  tau: number;
  /** Friction coefficient bounding the total horizontal traction force (μ·m·g). */
  mu: number;
  /** Largest yaw torque (N·m) the wheels can exert. */
  maxTorque: number;
}

/** Yaw (rad) of a body that only rotates about Z. */
export function bodyYaw(body: Body): number {
  const q = body.quaternion;
  return 2 * Math.atan2(q.z, q.w);
}

/**
 * Applies the horizontal forces and yaw torque with which the wheels drag the
 * body toward the wheel motion: forward speed `v`, lateral speed `vLat` (body
 * frame, m/s) and yaw rate `omega` (rad/s). Force = centripetal feed-forward + mass × velocity mismatch / tau,
 * clipped to the friction circle μ·m·g, so an obstacle pressing back makes
 * the wheels slip instead of the body passing through it. Adds to
 * `body.force`/`body.torque`, which cannon clears after each step.
 */
export function applyTraction(body: Body, v: number, vLat: number, omega: number, p: TractionParams): void {
  const yaw = bodyYaw(body);
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const vel = body.velocity;
  const vf = vel.x * c + vel.y * s;
  const vl = -vel.x * s + vel.y * c;
  const m = body.mass;
  // Feed-forward of the centripetal force the wheels must supply to keep the target velocity turning
  // with the body (d/dt of a body-frame vector rotating at ω), so the steady state matches the target.
  let fx = (m * (v - vf)) / p.tau - m * omega * vLat;
  let fy = (m * (vLat - vl)) / p.tau + m * omega * v;
  const fMax = p.mu * m * 9.81;
  const f = Math.sqrt(fx * fx + fy * fy);
  if (f > fMax) {
    fx *= fMax / f;
    fy *= fMax / f;
  }
  body.force.x += fx * c - fy * s;
  body.force.y += fx * s + fy * c;
  const izz = body.inertia.z;
  let tz = (izz * (omega - body.angularVelocity.z)) / p.tau;
  if (tz > p.maxTorque) tz = p.maxTorque;
  else if (tz < -p.maxTorque) tz = -p.maxTorque;
  body.torque.z += tz;
}

/** Moves `current` toward `target` by at most `maxStep`. */
export function rateLimit(current: number, target: number, maxStep: number): number {
  const d = target - current;
  return d > maxStep ? current + maxStep : d < -maxStep ? current - maxStep : target;
}

/** Clamps `x` into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
