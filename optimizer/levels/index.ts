/**
 * Pruning levels with learning-rate rewinding, saved in content-addressed
 * level directories that calibration, tuning and benchmarks reuse.
 */
export type { LevelRecipe } from "./LevelRecipe.ts";
export type { LevelRecord, LevelSet } from "./LevelSet.ts";
export { levelKey } from "./levelKey.ts";
export { buildLevels, lastLossless, type BuildLevelsOptions, type BuiltLevels } from "./buildLevels.ts";
export { readLevelSet, type LevelSetOnDisk } from "./readLevelSet.ts";
export { levelSetApproximator, checkLevelSetOriginal } from "./levelSetApproximator.ts";
export { remeasureLevelLatency } from "./remeasureLevelLatency.ts";
