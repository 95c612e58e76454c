import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import {
  boundarySvg,
  errorCalibrate,
  ErrorDistribution,
  findErrorDistribution,
  type Constraints,
  type ErrorFamily,
  type QosOracle,
} from "../../optimizer/index.ts";
import { readTuningConfig, seedList, setupTuning, type TuningConfig, type TuningSetup } from "./tuningConfig.ts";

interface CalibrateCliOptions {
  pipeline: string;
  config: string;
  out: string;
}

/**
 * `approxcaliper calibrate --pipeline cropfollow|gem --config c.json --out dir`:
 * ApproxCaliper phase 1 — error families of the configured approximators on
 * the dataset, then the metric-budget boundary of the QoS goal. Writes
 * `constraints.json` (for `approxcaliper optimize`), `error-distribution.json`,
 * `calibration.svg` and the resumable `evaluations.jsonl` checkpoint.
 */
export function register(program: Command): void {
  program
    .command("calibrate")
    .description("calibrate how much NN error the application tolerates (writes constraints.json for optimize)")
    .requiredOption("--pipeline <name>", "cropfollow | gem")
    .requiredOption("--config <file>", "JSON config: models, dataset, approximators, calibration (see scripts/commands/tuningConfig.ts)")
    .requiredOption("--out <dir>", "output folder")
    .action(async (o: CalibrateCliOptions) => {
      const pipeline = pipelineOption(o.pipeline);
      const config = readTuningConfig(o.config);
      const setup = await setupTuning(config, pipeline, o.config);
      try {
        const out = resolve(o.out);
        const constraints = await calibrate(setup, config, out);
        console.log(`${constraints.points.length} QoS evaluations: ${constraints.passPoints.length} pass, ${constraints.failPoints.length} fail; ${(100 * constraints.classifiedFraction()).toFixed(1)}% of the budget space classified`);
        console.log(`wrote ${join(out, "constraints.json")} and ${join(out, "calibration.svg")}`);
      } finally {
        await setup.close();
      }
    });
}

/** The `--pipeline` value, checked. */
export function pipelineOption(value: string): "cropfollow" | "gem" {
  if (value !== "cropfollow" && value !== "gem") throw new InputError("--pipeline", `expected cropfollow or gem, got "${value}"`);
  return value;
}

/**
 * Phase 1 with a progress bar: error distribution of the approximators, then
 * errorCalibrate (checkpointed in `<out>/evaluations.jsonl`). Writes
 * constraints.json, error-distribution.json and calibration.svg to `out`.
 */
export async function calibrate(setup: TuningSetup, config: TuningConfig, out: string): Promise<Constraints> {
  mkdirSync(out, { recursive: true });
  const approximators = Object.values(setup.approximators)[0];
  console.log(`measuring error families: ${approximators.map((a) => `${a.name} × ${a.nSteps}`).join(", ")} on ${setup.nns.map((n) => n.name).join(", ")} (${setup.dataset.size} samples)`);
  const { dataset } = setup;
  // Lane networks may predict below the input size, so name their mask shape rather than let it be guessed from the input.
  const masks =
    dataset.targetKind === "mask"
      ? Object.fromEntries(setup.nns.map((nn) => [nn.name, [dataset.targetShape[1], dataset.targetShape[2]] as [number, number]]))
      : undefined;
  // Each NN has its own approximators (their retraining uses its label column): one error family per NN, merged.
  const families: Record<string, ErrorFamily> = {};
  for (const nn of setup.nns) {
    const metrics = setup.metrics.filter((m) => m.model === nn);
    const dist = await findErrorDistribution(setup.approximators[nn.name], [nn], dataset, { metrics, masks });
    families[nn.name] = dist.family(nn.name);
  }
  const errorDist = new ErrorDistribution(families);
  writeFileSync(join(out, "error-distribution.json"), JSON.stringify(errorDist.toJSON(), null, 2) + "\n");
  const cal = config.calibration;
  const bar = new SingleBar({ format: "calibrate {bar} {value}/{total} QoS evaluations | {status}" }, Presets.shades_classic);
  bar.start(cal.iters, 0, { status: "" });
  let constraints: Constraints;
  try {
    constraints = await errorCalibrate(setup.nns, errorDist, setup.metrics, setup.qos as QosOracle, {
      iters: cal.iters,
      precision: cal.precision,
      seeds: seedList(cal.seeds),
      workers: config.workers,
      checkpoint: join(out, "evaluations.jsonl"),
      bounds: cal.bounds ? setup.nns.map((nn) => cal.bounds?.[nn.name]) : undefined,
      onProgress: (p) => bar.update(p.done, { status: `${p.pass ? "pass" : "fail"} at [${p.point.map((v) => v.toPrecision(3)).join(", ")}]${p.cached ? " (cached)" : ""}` }),
    });
  } finally {
    bar.stop();
  }
  writeFileSync(join(out, "constraints.json"), JSON.stringify(constraints.toJSON(), null, 2) + "\n");
  writeFileSync(join(out, "calibration.svg"), boundarySvg(constraints));
  return constraints;
}
