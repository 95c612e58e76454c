import type { Random } from "../../common/index.ts";
import { randomCropFieldPreset, randomTrackPreset, type BuiltWorld, type Pose2D, type WorldPreset } from "../../worlds/index.ts";
import type { RobotKind } from "../robots/Robot.ts";
import type { DatasetKind } from "./DatasetKind.ts";
import { LANE_POSE_LABELS, lanePoseLabel } from "./lanePoseLabel.ts";

/** A dataset's targets: label columns from the world's ground truth, or the lane-marking mask. */
export type DatasetTarget =
  | {
      readonly kind: "labels";
      /** Label column names (`labels.json` `labels.names`). */
      readonly names: readonly [string, string];
      /** How a horizontal image flip maps the labels: y → scale·y + offset (`labels.json` `labels.flip`). */
      readonly flip: { readonly scale: readonly [number, number]; readonly offset: readonly [number, number] };
      /** The labels of a camera pose. */
      label(world: BuiltWorld, pose: Pose2D): [number, number];
    }
  | { readonly kind: "mask" };

/**
 * What one dataset kind is — the only place these facts live: the
 * randomized worlds, whose robot camera renders the frames, where the camera
 * is put, and what each frame is labelled with.
 */
export interface DatasetKindSpec {
  /** What the frames and targets are, for `--help`. */
  readonly description: string;
  /** Frame (= model input) size when none is given: small enough that the shipped CNNs run in a few ms on one core. */
  readonly defaultSize: { readonly width: number; readonly height: number };
  /** Generator version, bumped whenever a change to the generator changes the frames or labels for the same seeds. */
  readonly version: number;
  /** The robot whose camera (mount, intrinsics) renders the frames. */
  readonly robot: RobotKind;
  /** The randomized world preset of one dataset world. */
  randomPreset(rng: Random): WorldPreset;
  /** Where to put the camera: a mixture of poses near the lane centre and spread-out ones (near-collision). */
  samplePose(world: BuiltWorld, rng: Random): Pose2D;
  readonly target: DatasetTarget;
}

const clampAbs = (x: number, m: number) => Math.max(-m, Math.min(m, x));

/**
 * Half-width (m) of the lateral offsets sampled in a crop row: robot
 * half-width 0.165 m plus the stem radius leave ~0.2 m to the row line on
 * 0.76 m rows, so ±0.19 m reaches near-collision poses.
 */
const ROW_LATERAL = 0.19;

function rowPose(world: BuiltWorld, rng: Random): Pose2D {
  const wide = rng.chance(0.45);
  const f = world.progress(world.startPose);
  const half = (world.kind === "cropfield" ? world.preset.rows.spacing : 0.76) / 2;
  const latMax = ROW_LATERAL * (half / 0.38);
  // The last metres, where the camera sees the field end, are rare under uniform sampling yet the robot must drive them.
  const s = rng.chance(0.2) ? rng.uniform(Math.max(0, f.length - 4), f.length - 0.3) : rng.uniform(0, f.length - 0.3);
  const lateral = wide ? rng.uniform(-latMax, latMax) : clampAbs(rng.normal(0, 0.06), latMax);
  const heading = wide ? rng.uniform(-0.5, 0.5) : clampAbs(rng.normal(0, 0.12), 0.5);
  return world.poseAt(s, lateral, heading);
}

function lanePose(world: BuiltWorld, rng: Random): Pose2D {
  const wide = rng.chance(0.35);
  const f = world.progress(world.startPose);
  const s = rng.uniform(0, f.length - 2);
  const lateral = wide ? rng.uniform(-1.8, 1.8) : clampAbs(rng.normal(0, 0.4), 1.8);
  const heading = wide ? rng.uniform(-0.3, 0.3) : clampAbs(rng.normal(0, 0.06), 0.3);
  return world.poseAt(s, lateral, heading);
}

/**
 * The dataset kinds by name.
 * CropFollow 2: more near-collision offsets and frames near the row end.
 * GEM 2: lane-marking wear (faded and missing pieces) on the random tracks.
 */
export const DATASET_KIND_SPECS: Readonly<Record<DatasetKind, DatasetKindSpec>> = {
  /** RGB frames labelled (φ, d) from the crop row's frame; a flip maps (φ, d) → (−φ, 1 − d). */
  cropfollow: {
    description: "frames labelled heading φ, distance ratio d",
    defaultSize: { width: 64, height: 48 },
    version: 2,
    robot: "terrasentia",
    randomPreset: randomCropFieldPreset,
    samplePose: rowPose,
    target: {
      kind: "labels",
      names: ["heading", "distance"],
      flip: { scale: [-1, -1], offset: [0, 1] },
      label(world, pose) {
        if (world.kind !== "cropfield") throw new Error(`cropfollow labels need a crop field, got a ${world.kind} world`);
        const f = world.rowFrame(pose);
        return [f.heading, f.distanceRatio];
      },
    },
  },
  /** GEM frames with the binary lane-marking mask of the simulator's mask scene. */
  gem: {
    description: "frames + binary lane masks",
    defaultSize: { width: 128, height: 64 },
    version: 2,
    robot: "gem",
    randomPreset: randomTrackPreset,
    samplePose: lanePose,
    target: { kind: "mask" },
  },
  /** GEM frames of the same random tracks and poses, labelled with the lane pose 8 m ahead (`lanePoseLabel`). */
  lanepose: {
    description: "GEM frames labelled cross-track offset, heading error 8 m ahead",
    defaultSize: { width: 128, height: 64 },
    version: 1,
    robot: "gem",
    randomPreset: randomTrackPreset,
    samplePose: lanePose,
    target: {
      kind: "labels",
      names: LANE_POSE_LABELS,
      flip: { scale: [-1, -1], offset: [0, 0] },
      label: (world, pose) => lanePoseLabel(world, pose),
    },
  },
};

/** Generator version per dataset kind (see {@link DatasetKindSpec.version}), as `dataset.json` records it. */
export const DATASET_GENERATOR_VERSION = Object.fromEntries(
  Object.entries(DATASET_KIND_SPECS).map(([k, spec]) => [k, spec.version]),
) as Readonly<Record<DatasetKind, number>>;
