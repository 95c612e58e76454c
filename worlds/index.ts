/** Worlds: presets (validated JSON) and the generators that turn them into scenes, colliders and ground truth. */
export { wrapAngle, type Pose2D } from "./Pose2D.ts";
export {
  CropFieldPresetSchema,
  TrackPresetSchema,
  parseWorldPreset,
  type CropFieldPreset,
  type TrackPreset,
  type WorldPreset,
  type EnvironmentPreset,
} from "./WorldPreset.ts";
export { loadWorldPreset, listWorldPresets } from "./loadWorldPreset.ts";
export { buildWorld } from "./buildWorld.ts";
export type { BuiltWorld, Obstacle, ObstacleKind, RowFrame, LaneFrame } from "./BuiltWorld.ts";
export { SegmentPath, type PathSegment, type PathPoint, type PathProjection } from "./path/SegmentPath.ts";
