/**
 * approxcaliper — the one public entry point.
 *
 * Simulation (`sim`), worlds, closed-loop pipelines, the optimizer and the run viewer are
 * re-exported from their area barrels.
 */
export * from "./common/index.ts";
export * from "./worlds/index.ts";
export * from "./sim/index.ts";
export * from "./optimizer/index.ts";
export * from "./pipelines/index.ts";
export * from "./viewer/index.ts";
