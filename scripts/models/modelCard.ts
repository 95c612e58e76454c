import { MODEL_INPUT } from "./architectures.ts";
import { DATASET_HFOV_DEG, DATASET_NORMALIZATION } from "../../sim/index.ts";
import type { DatasetRecipe, TrainingRecipe } from "./recipes.ts";

/** The model card written next to each shipped model (`models/<name>.json`). */
export interface ModelCard {
  name: string;
  file: string;
  architecture: string;
  input: {
    name: string; /** ["N", 3, height, width]. */
    shape: ["N", 3, number, number];
    layout: "NCHW";
    normalization: string;
    mean: number[];
    std: number[];
    hfovDeg: number;
  };
  output: { name: string; shape: (number | string)[]; meaning: string };
  dataset: DatasetRecipe & { generatorVersion: number; trainCount: number; valCount: number; command: string };
  training: TrainingRecipe & { bestEpoch: number; seconds: number; history: { epoch: number; trainLoss: number; validation?: number }[] };
  /** Validation metrics (the held-out worlds of the validation split). */
  metrics: Record<string, number>;
  flops: number;
  params: number;
  sizeBytes: number;
  /** Median latency at batch 1, one intra-op thread (ms), on the training machine. */
  latencyMs: number;
  command: string;
}

/** A card's `input` for frames of `height`×`width`: every model reads the dataset's frames and normalization as rendered. */
export function cardInput(height: number, width: number): ModelCard["input"] {
  return {
    name: MODEL_INPUT,
    shape: ["N", 3, height, width],
    layout: "NCHW",
    normalization: "RGB bytes / 255, then (x − mean[c]) / std[c]; frames rendered at exactly this size (no resizing)",
    mean: [...DATASET_NORMALIZATION.mean],
    std: [...DATASET_NORMALIZATION.std],
    hfovDeg: DATASET_HFOV_DEG,
  };
}
