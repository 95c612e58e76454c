import { Random } from "../../common/index.ts";
import { buildWorld, type BuiltWorld, type Pose2D } from "../../worlds/index.ts";
import { SoftwareRenderer } from "../render/SoftwareRenderer.ts";
import { robotCameraRig } from "../sensors/robotCameraRig.ts";
import { DATASET_HFOV_DEG, type DatasetKind } from "./DatasetKind.ts";
import { DATASET_KIND_SPECS } from "./datasetKindSpecs.ts";

/** One rendered sample: the camera frame and its label (CropFollow, lane pose) or lane mask (GEM). */
export interface WorldSample {
  /** RGB, row-major H×W×3, exactly what `Simulation.renderCamera` gives at this pose. */
  rgb: Uint8Array;
  /** CropFollow: [φ (rad), d]; lane pose: [cross-track (m), heading error (rad)] 8 m ahead. */
  label?: [number, number];
  /** GEM: H×W, 1 = lane-marking pixel (the simulator's oracle mask scene). */
  mask?: Uint8Array;
  pose: Pose2D;
}

/** The randomized world of a dataset world seed (see `randomCropFieldPreset`, `randomTrackPreset`). */
export function datasetWorld(kind: DatasetKind, worldSeed: number): BuiltWorld {
  const rng = new Random(worldSeed);
  const preset = DATASET_KIND_SPECS[kind].randomPreset(rng.fork("preset"));
  return buildWorld(preset, worldSeed);
}

/** Renders a world from the robot camera at arbitrary poses (see {@link datasetCamera}). */
export interface DatasetCamera {
  /** RGB H×W×3 at `pose` into `out`: the pixels `Simulation.renderCamera` gives with the robot at `pose`. */
  render(pose: Pose2D, out: Uint8Array): Uint8Array;
  /** Track worlds: H×W lane-marking mask (1 = marking) at `pose` into `out`, as `Simulation.renderLaneMask`. */
  renderLaneMask(pose: Pose2D, out: Uint8Array): Uint8Array;
}

/**
 * The closed loop's robot camera (`robotCameraRig`) on `world`, placed at
 * any pose without a physics body — for dataset frames. `hfovDeg` defaults
 * to the ONNX perception sources' 90°.
 */
export function datasetCamera(world: BuiltWorld, kind: DatasetKind, width: number, height: number, hfovDeg = DATASET_HFOV_DEG): DatasetCamera {
  const rig = robotCameraRig(world, DATASET_KIND_SPECS[kind].robot, { width, height, hfovDeg });
  const renderer = new SoftwareRenderer({ width, height });
  const place = (pose: Pose2D) => {
    const camera = rig.update(pose);
    world.setViewpoint?.(camera.position.x, camera.position.y);
    return camera;
  };
  let maskRgb: Uint8Array | undefined;
  return {
    render: (pose, out) => renderer.render(world.scene, place(pose), out),
    renderLaneMask(pose, out) {
      if (world.kind !== "track") throw new Error(`a ${world.kind} world has no lane-mask scene`);
      const rgb = renderer.render(world.laneMaskScene, place(pose), (maskRgb ??= new Uint8Array(width * height * 3)));
      for (let p = 0; p < out.length; p++) out[p] = rgb[3 * p] > 127 ? 1 : 0;
      return out;
    },
  };
}

/**
 * Renders `count` samples of one randomized world (seeded by `worldSeed`)
 * with the robot camera of the closed loop ({@link datasetCamera}): random
 * poses in the lane, labelled from the world's ground truth — CropFollow
 * `rowFrame` (φ, d), GEM the lane-marking mask scene. Deterministic in
 * (kind, worldSeed, count, width, height). Lane-pose samples are GEM
 * frames of the same random tracks and poses, labelled by `lanePoseLabel`. `onSample` receives each sample
 * (its buffers are reused: copy to keep).
 */
export async function renderWorldSamples(
  kind: DatasetKind,
  worldSeed: number,
  count: number,
  width: number,
  height: number,
  onSample: (sample: WorldSample, index: number) => void | Promise<void>,
): Promise<void> {
  const world = datasetWorld(kind, worldSeed);
  const cam = datasetCamera(world, kind, width, height);
  const rng = new Random(worldSeed).fork("poses");
  const rgb = new Uint8Array(width * height * 3);
  const { samplePose, target } = DATASET_KIND_SPECS[kind];
  const mask = target.kind === "mask" ? new Uint8Array(width * height) : undefined;
  for (let i = 0; i < count; i++) {
    const pose = samplePose(world, rng);
    cam.render(pose, rgb);
    const sample: WorldSample = { rgb, pose };
    if (target.kind === "labels") sample.label = target.label(world, pose);
    else sample.mask = cam.renderLaneMask(pose, mask!);
    await onSample(sample, i);
  }
}
