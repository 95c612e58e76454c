export { loadDataset, type LoadDatasetOptions } from "./loadDataset.ts";
export { parseLabelsFile, type LabelsFile } from "./LabelsFile.ts";
export { TensorDataset, type TensorDatasetOptions, type TargetKind, type LabelMap } from "./TensorDataset.ts";
export type { Augmentation, Batch } from "./augmentations/Augmentation.ts";
export { horizontalFlip, type HorizontalFlipOptions } from "./augmentations/horizontalFlip.ts";
export { colorJitter, type ColorJitterOptions } from "./augmentations/colorJitter.ts";
export { labelColumn } from "./labelColumn.ts";
export { maxPoolMask, poolMasks } from "./poolMasks.ts";
