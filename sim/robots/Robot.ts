import type { Body } from "cannon-es";

/** Which robot model a simulation drives. */
/** The simulated robots. */
export const ROBOT_KINDS = ["terrasentia", "gem"] as const;
/** See {@link ROBOT_KINDS}. */
export type RobotKind = (typeof ROBOT_KINDS)[number];

/** Camera placement on a robot (robot frame: x forward, y left, z up from the ground). */
export interface CameraMount {
  /** Position of the optical centre (m). */
  x: number;
  y: number;
  z: number;
  /** Downward pitch of the optical axis (rad, > 0 looks down). */
  pitch: number;
  /** Default horizontal field of view (deg). */
  hfovDeg: number;
}

/** Skid-steer command: forward speed (m/s) and yaw rate (rad/s). */
export interface TwistCommand {
  v: number;
  omega: number;
}

/** Ackermann command: forward speed (m/s) and front-wheel steering angle (rad, > 0 left). */
export interface AckermannCommand {
  speed: number;
  steer: number;
}

/** A robot model: a dynamic cannon body plus the drive that moves it. */
export interface Robot {
  readonly kind: RobotKind;
  /** The colliding body (a box resting on the ground, rotating about Z only). */
  readonly body: Body;
  /** Largest distance (m) from the body centre to any point of the collider, for obstacle streaming. */
  readonly reach: number;
  /** Default camera placement. */
  readonly cameraMount: CameraMount;
  /** Forward speed (m/s) and yaw rate (rad/s) the wheels are turning at (what odometry measures). */
  readonly wheelV: number;
  readonly wheelOmega: number;
  /** Called before each physics step: move the actuators toward the command within limits, apply drive forces. */
  drive(dt: number): void;
}
