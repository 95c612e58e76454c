import type { Body } from "cannon-es";
import type { Pose2D } from "../../worlds/index.ts";
import { createBoxBody } from "./createBoxBody.ts";
import type { AckermannCommand, CameraMount, Robot } from "./Robot.ts";
import { applyTraction, clamp, rateLimit, type TractionParams } from "./tractionDrive.ts";

/** Polaris GEM e2 geometry, mass, limits and camera. */
export const GEM_E2 = {
  /** Distance between the axles (m); the body centre is midway between them. */
  wheelbase: 1.75,
  /** Body box (m) and mass (kg). */
  length: 2.5,
  width: 1.3,
  height: 1.8,
  mass: 600,
  /** Front-wheel steering limit (rad) and slew rate (rad/s). */
  maxSteer: 0.61,
  maxSteerRate: 1.0,
  /** Speed range (m/s) and acceleration limit (m/s²). */
  minSpeed: -2,
  maxSpeed: 8,
  maxAccel: 2.0,
  /** Roof-front camera: 90° horizontal FOV, pitched down so lane lines show 3–20 m ahead. */
  camera: { x: 0.6, y: 0, z: 1.6, pitch: (12 * Math.PI) / 180, hfovDeg: 90 } satisfies CameraMount,
  traction: { tau: 0.1, mu: 0.9, maxTorque: 6000 } satisfies TractionParams,
} as const;

/**
 * GEM e2 Ackermann cart as a kinematic bicycle model driving a colliding
 * cannon box: the actuators (speed, steering angle) follow the command within
 * the acceleration and steering-rate limits; the bicycle model turns them into
 * a target motion (yaw rate v·tan δ / L, no side slip at the rear axle, hence
 * lateral speed ω·L/2 at the body centre); traction forces drag the body onto
 * that motion, so a cone or obstacle in the way stops or deflects the cart.
 * Chosen over cannon's RaycastVehicle, which costs far more per step and needs
 * suspension tuning, for no benefit on flat paved ground.
 */
export class GemE2 implements Robot {
  readonly kind = "gem" as const;
  readonly body: Body;
  readonly reach = Math.hypot(GEM_E2.length / 2, GEM_E2.width / 2);
  readonly cameraMount: CameraMount = { ...GEM_E2.camera };
  /** Current speed (m/s) and steering angle (rad) of the actuators. */
  speed = 0;
  steer = 0;
  private targetSpeed = 0;
  private targetSteer = 0;

  constructor(start: Pose2D) {
    this.body = createBoxBody(GEM_E2.length, GEM_E2.width, GEM_E2.height, GEM_E2.mass, start);
  }

  get wheelV(): number {
    return this.speed;
  }

  get wheelOmega(): number {
    return (this.speed * Math.tan(this.steer)) / GEM_E2.wheelbase;
  }

  /** Sets commanded speed and steering; steering is clipped to ±0.61 rad, speed to [−2, 8] m/s. */
  setCommand(cmd: AckermannCommand): void {
    this.targetSpeed = clamp(cmd.speed, GEM_E2.minSpeed, GEM_E2.maxSpeed);
    this.targetSteer = clamp(cmd.steer, -GEM_E2.maxSteer, GEM_E2.maxSteer);
  }

  drive(dt: number): void {
    this.speed = rateLimit(this.speed, this.targetSpeed, GEM_E2.maxAccel * dt);
    this.steer = rateLimit(this.steer, this.targetSteer, GEM_E2.maxSteerRate * dt);
    const omega = this.wheelOmega;
    applyTraction(this.body, this.speed, (omega * GEM_E2.wheelbase) / 2, omega, GEM_E2.traction);
  }
}
