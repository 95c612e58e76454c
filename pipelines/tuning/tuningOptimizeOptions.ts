import type { CombinationEvaluator, OptimizeOptions, SeedSets } from "../../optimizer/index.ts";
import { describeWorld } from "./describeWorld.ts";
import type { TuningSetup } from "./setupTuning.ts";
import { verificationOracles } from "./verificationEvaluator.ts";
import type { TuningConfig } from "./TuningConfig.ts";

/**
 * The `optimize` options a tuning config and its setup give: objective, metrics, knobs, backbones, the
 * agnostic baseline, the seed sets and the worlds they ran on, the search's limits. The one mapping
 * `approxcaliper optimize` and `evidence` share; each adds where outputs go and how progress shows.
 * `verify` is the caller's, so a caller that verifies elsewhere too (the evidence's unguided walk) shares it.
 */
export function tuningOptimizeOptions(config: TuningConfig, setup: TuningSetup, seeds: SeedSets, verify: CombinationEvaluator): OptimizeOptions {
  return {
    objective: setup.objective,
    metrics: setup.metrics,
    knobs: setup.knobs,
    backbones: setup.backbones,
    agnostic: config.agnostic,
    calibrationSeeds: config.constraints ? undefined : seeds.calibration,
    seeds: seeds.tuning,
    verifySeeds: seeds.verification,
    verify,
    worlds: {
      ...(config.constraints ? {} : { calibration: describeWorld(setup.qos.world) }),
      tuning: describeWorld(setup.qos.world),
      verification: verificationOracles(setup)
        .map((q) => describeWorld(q.world))
        .join(" + "),
    },
    maxQosRuns: config.maxQosRuns,
    failureFeedback: config.failureFeedback,
    latencyRuns: config.latencyRuns,
  };
}
