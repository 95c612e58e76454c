import type { Scene } from "three";
import type { Pose2D } from "./Pose2D.ts";
import { InputError } from "../common/index.ts";
import type { CropFieldPreset, TrackPreset } from "./WorldPreset.ts";

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

/** Ground truth of the robot relative to the crop rows (see {@link CropFieldWorld.rowFrame}). */
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

/** Ground truth of the robot relative to its lane (see {@link TrackWorld.laneFrame}). */
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

/** What every generated world has: the scene to render, the colliders, the start pose and the route. */
interface WorldBase {
  /** Z-up three.js scene with lights, fog and background set. */
  scene: Scene;
  /** Static colliders, ids = indices. */
  obstacles: Obstacle[];
  /** Crop field: centred in the central inter-row lane, aligned with the row; track: centre of the right lane. */
  startPose: Pose2D;
  /**
   * Progress along the robot's route for a pose (m) and the route's length (m): crop field, along the
   * start lane (`RowFrame.s`/`length`); track, along the route (`LaneFrame.s`/`length`). The route is
   * done when `s ≥ length`.
   */
  progress(pose: Pose2D): { s: number; length: number };
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

/** A generated crop field: rows of plants, the robot between two of them. */
export interface CropFieldWorld extends WorldBase {
  kind: "cropfield";
  preset: CropFieldPreset;
  /** Ground truth relative to the rows, for a pose. */
  rowFrame(pose: Pose2D): RowFrame;
}

/** A generated track: a two-lane road with painted lines and cones along its edges. */
export interface TrackWorld extends WorldBase {
  kind: "track";
  preset: TrackPreset;
  /** Lane markings as white `MeshBasicMaterial` on black (cones drawn black so they occlude). */
  laneMaskScene: Scene;
  /**
   * Ground truth relative to the right lane, evaluated at the point `lookahead` metres ahead of the
   * pose along its heading (default 0).
   */
  laneFrame(pose: Pose2D, lookahead?: number): LaneFrame;
}

/** A generated world, one member per preset kind (`kind` tells which). */
export type BuiltWorld = CropFieldWorld | TrackWorld;

/** The kinds of world (`BuiltWorld.kind`, `WorldPreset.kind`). */
export type WorldKind = BuiltWorld["kind"];

/** The built world of one kind. */
export type WorldOfKind<K extends WorldKind> = Extract<BuiltWorld, { kind: K }>;

/**
 * `world` as a world of `kind`.
 * @throws InputError naming `where` when it is another kind (e.g. a track given to a crop-field application).
 */
export function requireWorldKind<K extends WorldKind>(world: BuiltWorld, kind: K, where: string, who: string): WorldOfKind<K> {
  if (world.kind !== kind) throw new InputError(where, `${who} needs a ${kind} world, got a ${world.kind} world`);
  return world as WorldOfKind<K>;
}
