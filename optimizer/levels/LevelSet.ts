import type { LevelRecipe } from "./LevelRecipe.ts";

/** One level of a {@link LevelSet} (level 0 is the original model). */
export interface LevelRecord {
  level: number;
  /** File name inside the level directory. */
  file: string;
  /** Fraction of the original channels removed (0 for level 0). */
  pruned: number;
  flops: number;
  /** flops ÷ the original's. */
  flopsRatio: number;
  params: number;
  /** Validation metrics (the primary one decides `lossless`). */
  metrics: Record<string, number>;
  /** Test-split metrics, when a test split was given. */
  testMetrics?: Record<string, number>;
  /** Batch-1 one-thread latency measured interleaved with the original (ms), and the speed-up over it. */
  latency: { medianMs: number; p10Ms: number; p90Ms: number; speedup: number; speedupP10: number; speedupP90: number };
  /** Retraining wall time (s). */
  seconds: number;
}

/** `levels.json` of a level directory. */
export interface LevelSet {
  /** Content hash of (model, dataset, recipe): the directory's name. */
  key: string;
  recipe: LevelRecipe;
  /** The primary validation metric and whether lower is better. */
  primary: { name: string; mode: "min" | "max" };
  levels: LevelRecord[];
  /**
   * The last level before the first whose primary validation metric is worse
   * than the original's (0 when level 1 already is): how far learning-rate
   * rewinding keeps the original's accuracy.
   */
  lastLosslessLevel: number;
  /** True once every level of the recipe is in. */
  complete: boolean;
}
