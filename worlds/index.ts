/** Worlds: presets (validated JSON) and the generators that turn them into scenes, colliders and ground truth. */
export { wrapAngle, type Pose2D } from "./Pose2D.ts";
export {
  CropFieldPresetSchema,
  TrackPresetSchema,
  parseWorldPreset,
  WORLD_LIMITS,
  type CropFieldPreset,
  type TrackPreset,
  type WorldPreset,
  type EnvironmentPreset,
} from "./WorldPreset.ts";
export { loadWorldPreset } from "./loadWorldPreset.ts";
export { listWorldPresets } from "./shippedPresets.ts";
export { loadWorldScenario, listWorldDistributions, type WorldScenario } from "./scenario/WorldScenario.ts";
export { drawTemplate, templateHasDraws, type PresetTemplate, type DrawMode } from "./scenario/drawTemplate.ts";
export { randomCropFieldPreset, randomTrackPreset } from "./scenario/randomWorldPresets.ts";
export { buildWorld } from "./buildWorld.ts";
export {
  requireWorldKind,
  type BuiltWorld,
  type CropFieldWorld,
  type TrackWorld,
  type WorldKind,
  type WorldOfKind,
  type Obstacle,
  type ObstacleKind,
  type RowFrame,
  type LaneFrame,
} from "./BuiltWorld.ts";
export { SegmentPath, type PathSegment, type PathPoint, type PathProjection } from "./path/SegmentPath.ts";
