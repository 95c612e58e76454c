import type { ModelCard } from "./modelCard.ts";
import type { ZooModel, ZooTask } from "./zoo.ts";

/** Batch-1 one-thread latency as the zoo reports it (see `measureInterleaved`). */
export interface ZooLatency {
  /** Median over all timed runs (ms). */
  medianMs: number;
  /** 10th and 90th percentiles of the per-block medians (ms): the spread a repeat is expected to fall in. */
  p10Ms: number;
  p90Ms: number;
  /** Timed runs in total. */
  runs: number;
  /** How it was measured. */
  method: string;
}

/** The model card next to each zoo model (`models/zoo/<name>.json`). */
export interface ZooCard {
  name: string;
  task: ZooTask;
  builder: ZooModel["builder"];
  file: string;
  /** SHA-256 of the ONNX file (hex): the card describes exactly this file. */
  sha256: string;
  architecture: string;
  input: ModelCard["input"];
  output: ModelCard["output"];
  dataset: ModelCard["dataset"] & { testCount: number };
  training: ModelCard["training"];
  /** Metrics on the validation and on the held-out test worlds. */
  metrics: { validation: Record<string, number>; test: Record<string, number> };
  flops: number;
  params: number;
  sizeBytes: number;
  /** Measured once no training competes for the cores; null until then. */
  latency: ZooLatency | null;
  command: string;
}
