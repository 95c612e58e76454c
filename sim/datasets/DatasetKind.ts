/** The perception datasets the generators produce. */
export const DATASET_KINDS = ["cropfollow", "gem", "lanepose"] as const;
/**
 * `cropfollow`: RGB frames labelled (φ, d); `gem`: RGB frames with a binary lane-marking mask;
 * `lanepose`: GEM frames labelled with the lane pose 8 m ahead (cross-track offset, heading error; see `lanePoseLabel`).
 */
export type DatasetKind = (typeof DATASET_KINDS)[number];

/**
 * Generator version per dataset kind, bumped whenever a change to that
 * generator changes the frames or labels for the same seeds.
 * CropFollow 2: more near-collision offsets and frames near the row end.
 * GEM 2: lane-marking wear (faded and missing pieces) on the random tracks.
 */
export const DATASET_GENERATOR_VERSION: Record<DatasetKind, number> = { cropfollow: 2, gem: 2, lanepose: 1 };

/** Camera horizontal field of view (deg) of the frames: the robots' cameras (TerraSentia and GEM), so frames match the closed loop. */
export const DATASET_HFOV_DEG = 90;

/** Input normalization written to `labels.json` (ImageNet statistics, the ONNX perception sources' default). */
export const DATASET_NORMALIZATION = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
