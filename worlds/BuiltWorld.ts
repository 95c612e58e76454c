import type { Scene } from "three";
import type { Pose2D } from "./Pose2D.ts";
import type { WorldPreset } from "./WorldPreset.ts";

/** What an obstacle is; all kinds are static colliders the robot can hit. */
export type ObstacleKind = "plant" | "weed" | "cone";

/** A static vertical cylinder the robot can collide with. */
export interface Obstacle {
  /** Index in {@link BuiltWorld.obstacles} (stable for a given preset and seed). */
  id: number;
  kind: ObstacleKind;
  /** Centre of the base (m, world frame). */
  x: number;
  y: number;
  /** Collider radius (m). */
  radius: number;
  /** Collider height above the ground (m). */
  height: number;
}

/** Ground truth of the robot relative to the crop rows (see {@link BuiltWorld.rowFrame}). */
export interface RowFrame {
  /** Robot yaw − row tangent angle (rad), wrapped to (−π, π]. */
  heading: number;
  /** Lateral distance (m) from the robot centre to the plant-row line on its left. */
  dLeft: number;
  /** Lateral distance (m) from the robot centre to the plant-row line on its right. */
  dRight: number;
  /** dLeft / (dLeft + dRight); 0.5 when centred. */
  distanceRatio: number;
  /** Progress along the row (m) from the row start. */
  s: number;
  /** Row length (m). */
  length: number;
}

/** Ground truth of the robot relative to its lane (see {@link BuiltWorld.laneFrame}). */
export interface LaneFrame {
  /** Signed distance (m) from the right-lane centre line; > 0 when left of it. */
  crossTrack: number;
  /** Robot yaw − lane tangent (rad), wrapped to (−π, π]. */
  headingError: number;
  /** Progress along the route (m). */
  s: number;
  /** Route length (m). */
  length: number;
  /** Lane width (m). */
  laneWidth: number;
  /** Signed curvature (1/m) of the lane centre at `s`; > 0 turning left. */
  curvature: number;
}

/** A generated world: the scene to render, the colliders, the start pose and ground-truth frames. */
export interface BuiltWorld {
  kind: "cropfield" | "track";
  preset: WorldPreset;
  /** Z-up three.js scene with lights, fog and background set. */
  scene: Scene;
  /** Track only: lane markings as white `MeshBasicMaterial` on black (cones drawn black so they occlude). */
  laneMaskScene?: Scene;
  /** Static colliders, ids = indices. */
  obstacles: Obstacle[];
  /** Crop field: centred in the central inter-row lane, aligned with the row; track: centre of the right lane. */
  startPose: Pose2D;
  /** Crop field only: ground truth relative to the rows, for a pose. */
  rowFrame?(pose: Pose2D): RowFrame;
  /**
   * Track only: ground truth relative to the right lane, evaluated at the point `lookahead` metres
   * ahead of the pose along its heading (default 0).
   */
  laneFrame?(pose: Pose2D, lookahead?: number): LaneFrame;
  /**
   * The pose `s` metres along the robot's lane (crop field: the start lane's
   * centre line; track: the right lane's centre), `lateral` metres to the left
   * of it (> 0 left), turned `heading` rad from the lane tangent. The inverse of
   * `rowFrame`/`laneFrame`, used to place the camera for datasets.
   */
  poseAt(s: number, lateral: number, heading: number): Pose2D;
  /**
   * Level of detail: shows fine detail (e.g. upper leaves, weeds) only near a viewer at (x, y) (m).
   * The simulation calls it before each camera render; a scene rendered without calling it shows everything.
   */
  setViewpoint?(x: number, y: number): void;
}
