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
