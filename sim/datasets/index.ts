/** Simulator perception datasets: randomized worlds, camera poses, ground-truth labels, PNG + labels.json writers. */
export { DATASET_KINDS, DATASET_HFOV_DEG, DATASET_NORMALIZATION, type DatasetKind } from "./DatasetKind.ts";
export { DATASET_KIND_SPECS, DATASET_GENERATOR_VERSION, type DatasetKindSpec, type DatasetTarget } from "./datasetKindSpecs.ts";
export { renderWorldSamples, datasetWorld, datasetCamera, type WorldSample, type DatasetCamera } from "./renderWorldSamples.ts";
export { writeWorldSamples, sampleFileName, sampleWorldSeed, type WorldTask, type LabelItem } from "./writeWorldSamples.ts";
export { generateDataset, datasetWorldSeed, datasetSplitWorlds, type GenerateDatasetOptions, type DatasetManifest } from "./generateDataset.ts";
export { LANE_POSE_LOOKAHEAD, LANE_POSE_LABELS, lanePoseLabel } from "./lanePoseLabel.ts";
