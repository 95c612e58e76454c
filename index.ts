/**
 * approxcaliper — the one public entry point.
 *
 * Simulation (`sim`), worlds, closed-loop pipelines and the optimizer are
 * re-exported from their area barrels.
 */
export * from "./common/index.ts";
export * from "./worlds/index.ts";
export * from "./sim/index.ts";
export * from "./optimizer/index.ts";
export * from "./pipelines/index.ts";
