/** The perception datasets the generators produce (each described by its `DATASET_KIND_SPECS` entry). */
export const DATASET_KINDS = ["cropfollow", "gem", "lanepose"] as const;
/**
 * `cropfollow`: RGB frames labelled (φ, d); `gem`: RGB frames with a binary lane-marking mask;
 * `lanepose`: GEM frames labelled with the lane pose 8 m ahead (cross-track offset, heading error; see `lanePoseLabel`).
 */
export type DatasetKind = (typeof DATASET_KINDS)[number];

/** Camera horizontal field of view (deg) of the frames: the robots' cameras (TerraSentia and GEM), so frames match the closed loop. */
export const DATASET_HFOV_DEG = 90;

/** Input normalization written to `labels.json` (ImageNet statistics, the ONNX perception sources' default). */
export const DATASET_NORMALIZATION = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
