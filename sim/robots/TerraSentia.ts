import type { Body } from "cannon-es";
import type { Pose2D } from "../../worlds/index.ts";
import { createBoxBody } from "./createBoxBody.ts";
import type { CameraMount, Robot, TwistCommand } from "./Robot.ts";
import { applyTraction, clamp, rateLimit, type TractionParams } from "./tractionDrive.ts";

/** TerraSentia geometry, mass, limits and camera (EarthSense under-canopy robot, CropFollow). */
export const TERRASENTIA = {
  /** Body box (m) and mass (kg). */
  length: 0.52,
  width: 0.33,
  height: 0.33,
  mass: 14,
  /** |v| ≤ maxSpeed (m/s), |ω| ≤ maxYawRate (rad/s). */
  maxSpeed: 1.0,
  maxYawRate: 2.0,
  /** Rate limits of the commanded motion: m/s², rad/s². */
  maxAccel: 1.0,
  maxYawAccel: 4.0,
  /** Low front camera looking forward and slightly down; 90° wide like the dataset frames the shipped CNNs learned from. */
  camera: { x: 0.26, y: 0, z: 0.3, pitch: (10 * Math.PI) / 180, hfovDeg: 90 } satisfies CameraMount,
  traction: { tau: 0.05, mu: 0.8, maxTorque: 18 } satisfies TractionParams,
} as const;

/**
 * Skid-steer TerraSentia: a 0.52 × 0.33 × 0.33 m, 14 kg box driven by (v, ω).
 * The command is clamped to the speed limits, then the wheel motion follows it
 * within the acceleration limits; traction drags the body onto the wheel
 * motion with no lateral slip target (skid-steer wheels resist sideways motion).
 */
export class TerraSentia implements Robot {
  readonly kind = "terrasentia" as const;
  readonly body: Body;
  readonly reach = Math.hypot(TERRASENTIA.length / 2, TERRASENTIA.width / 2);
  readonly cameraMount: CameraMount = { ...TERRASENTIA.camera };
  wheelV = 0;
  wheelOmega = 0;
  private targetV = 0;
  private targetOmega = 0;

  constructor(start: Pose2D) {
    this.body = createBoxBody(TERRASENTIA.length, TERRASENTIA.width, TERRASENTIA.height, TERRASENTIA.mass, start);
  }

  /** Sets the commanded (v, ω); values beyond the limits are clamped. */
  setCommand(cmd: TwistCommand): void {
    this.targetV = clamp(cmd.v, -TERRASENTIA.maxSpeed, TERRASENTIA.maxSpeed);
    this.targetOmega = clamp(cmd.omega, -TERRASENTIA.maxYawRate, TERRASENTIA.maxYawRate);
  }

  drive(dt: number): void {
    this.wheelV = rateLimit(this.wheelV, this.targetV, TERRASENTIA.maxAccel * dt);
    this.wheelOmega = rateLimit(this.wheelOmega, this.targetOmega, TERRASENTIA.maxYawAccel * dt);
    applyTraction(this.body, this.wheelV, 0, this.wheelOmega, TERRASENTIA.traction);
  }
}
