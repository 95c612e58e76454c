/**
 * Headless simulator: clock, cannon-es physics, robots, sensors, collision accounting.
 *
 * Contract notes (vs /tmp/team/brief.md):
 * - `SimulationOptions.world` also accepts an already built `BuiltWorld` (reused as is).
 * - `cameraModel()` also returns `fps`.
 * - Obstacle kinds are "plant" | "weed" | "cone" (cones line the track edges; no separate "barrier").
 * - Crop field start pose: centred in the central inter-row lane (rows on both sides), aligned with the row.
 * - Without `camera` options, `renderCamera()` and `cameraModel()` throw an InputError naming `camera`;
 *   `renderLaneMask` exists only on track worlds with a camera.
 * Additions: `Simulation.robot` (body, limits, actuator state, camera mount), `SimulationOptions.streamObstacles`,
 * `BuiltWorld.setViewpoint` (leaf level of detail, called by `renderCamera`), `BuiltWorld.poseAt`.
 */
export { createSimulation, type Simulation, type SimulationOptions } from "./createSimulation.ts";
export { ROBOT_KINDS } from "./robots/Robot.ts";
export type { RobotKind, Robot, CameraMount, TwistCommand, AckermannCommand } from "./robots/Robot.ts";
export { TERRASENTIA } from "./robots/TerraSentia.ts";
export { GEM_E2 } from "./robots/GemE2.ts";
export type { ImuOptions, ImuSample } from "./sensors/Imu.ts";
export type { OdometrySample } from "./sensors/WheelOdometry.ts";
export type { CameraModel } from "./sensors/CameraRig.ts";
export type { CameraOptions } from "./createSimulation.ts";
export type { CollisionEvent, CollisionLog } from "./physics/CollisionTracker.ts";
export { SoftwareRenderer, type SoftwareRendererOptions } from "./render/SoftwareRenderer.ts";
export { encodePng, writePng } from "./render/png.ts";
export {
  DATASET_KINDS,
  DATASET_GENERATOR_VERSION,
  DATASET_KIND_SPECS,
  type DatasetKindSpec,
  type DatasetTarget,
  DATASET_HFOV_DEG,
  DATASET_NORMALIZATION,
  generateDataset,
  datasetWorldSeed,
  datasetSplitWorlds,
  datasetWorld,
  datasetCamera,
  renderWorldSamples,
  sampleFileName,
  sampleWorldSeed,
  type DatasetKind,
  type DatasetManifest,
  type GenerateDatasetOptions,
  type WorldSample,
  type DatasetCamera,
  LANE_POSE_LOOKAHEAD,
  LANE_POSE_LABELS,
  lanePoseLabel,
} from "./datasets/index.ts";
export { robotCameraRig, cameraMountOf } from "./sensors/robotCameraRig.ts";
export { TrajectoryLineSchema, parseTrajectoryJsonl, type TrajectoryLine } from "./recording/TrajectoryLine.ts";
export { trackingTruth, trackingPointAhead } from "./recording/trackingTruth.ts";
