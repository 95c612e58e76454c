import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError, readJsonFile } from "../../common/index.ts";
import { ErrorDistribution, type CombinationEvaluator, type OptimizeOptions, type SeedSets } from "../../optimizer/index.ts";
import { describeWorld } from "./describeWorld.ts";
import type { TuningSetup } from "./setupTuning.ts";
import { verificationOracles } from "./verificationEvaluator.ts";
import type { TuningConfig } from "./TuningConfig.ts";

/**
 * The `optimize` options a tuning config and its setup give: objective, metrics, knobs, backbones, the
 * agnostic baseline, the seed sets and the worlds they ran on, the search's limits. The one mapping
 * `approxcaliper optimize` and `evidence` share; each adds where outputs go and how progress shows.
 * `verify` is the caller's, so a caller that verifies elsewhere too (the evidence's unguided walk) shares it.
 * With `calibration.worldSpread`, candidates are placed by their world-equivalent levels, with the
 * calibration's error families read from its `error-distribution.json`, written beside its constraints.json:
 * in the folder of `config.constraints`, or else in `<outDir>/calibration`, where the run calibrated.
 *
 * @throws InputError naming the file when world spreads are on and the calibration's families are missing.
 */
export function tuningOptimizeOptions(
  config: TuningConfig,
  setup: TuningSetup,
  seeds: SeedSets,
  verify: CombinationEvaluator,
  outDir: string,
): OptimizeOptions {
  const calibrationDir = config.constraints ? dirname(config.constraints) : join(outDir, "calibration");
  return {
    ...(setup.worldGroups ? { worldEquivalence: { groups: setup.worldGroups, errors: calibrationErrors(calibrationDir) } } : {}),
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

/** The error families a calibration injected (`error-distribution.json` in its folder). */
function calibrationErrors(dir: string): ErrorDistribution {
  const file = join(dir, "error-distribution.json");
  if (!existsSync(file))
    throw new InputError(
      file,
      "no such file: calibration.worldSpread places candidates with the calibration's error families, written beside its constraints.json",
    );
  return ErrorDistribution.fromJSON(readJsonFile(file), file);
}
