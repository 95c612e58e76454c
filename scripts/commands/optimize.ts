import { join, resolve } from "node:path";
import type { Command } from "commander";
import { formatSeeds, OutputFolder } from "../../common/index.ts";
import { optimize, type OptimizePhase } from "../../optimizer/index.ts";
import {
  getApplication,
  readConstraints,
  readTuningConfig,
  RECORD_MODES,
  calibrationKnobAxes,
  configSeeds,
  setupTuning,
  tuningOptimizeOptions,
  verificationEvaluator,
  type RecordMode,
} from "../../pipelines/index.ts";
import { REPLAYS_FOLDER, replayPointLink } from "../../viewer/index.ts";
import { choiceOption, existingPathArg, option, SEED_CONVENTION } from "../options/index.ts";
import { applicationOption } from "../options/namedOptions.ts";
import { stepProgress, type StepProgress } from "../progress/stepProgress.ts";
import { calibrate, writeReplayViewer } from "./calibrate.ts";
import { backendFor, queueOption, QueueStatus } from "./queueOption.ts";

interface OptimizeCliOptions {
  pipeline: string;
  config: string;
  out: string;
  queue?: string;
  record: RecordMode;
}

const PHASE_TITLES: Record<OptimizePhase, string> = {
  measure: "measure candidates",
  search: "guided search     ",
  agnostic: "agnostic baseline ",
  write: "write outputs     ",
};

/**
 * `approxcaliper optimize --pipeline <application> --config c.json --out dir`:
 * ApproxCaliper phase 2. Uses the config's `constraints` file, or calibrates
 * inline first (outputs in `<out>/calibration/`); then guided tuning writes
 * the optimized models, `report.json` and `report.html` to `--out`.
 */
export function register(program: Command): void {
  program
    .command("optimize")
    .description("find smaller, faster NNs that still meet the application's QoS goal (guided tuning)")
    .addOption(applicationOption())
    .addOption(
      option(
        "--config <file>",
        "JSON config: models, dataset, approximators, constraints or calibration, seeds, objective, knobs",
        existingPathArg("file"),
      ).makeOptionMandatory(),
    )
    .requiredOption("--out <dir>", "output folder (optimized models, report.json, report.html)")
    .addOption(queueOption())
    .addOption(
      choiceOption(
        "--record <which>",
        "replays of the failing, all or none of the QoS runs; open <out>/viewer.html (linked from report.html)",
        RECORD_MODES,
        "failing",
      ),
    )
    .addHelpText(
      "after",
      `\nSeeds: a seed count K in the config (seeds, verifySeeds, calibration.seeds) means seeds 0…K−1 (${SEED_CONVENTION}).`,
    )
    .action(async (o: OptimizeCliOptions) => {
      const spec = getApplication(o.pipeline, "--pipeline");
      const config = readTuningConfig(o.config);
      const seeds = configSeeds(config, o.config);
      const out = resolve(o.out);
      const status = new QueueStatus();
      const setup = await setupTuning(config, spec, o.config, o.queue !== undefined ? backendFor(o.queue, config.workers, status) : undefined, {
        mode: o.record,
        dir: join(out, REPLAYS_FOLDER),
      });
      let folder: OutputFolder | undefined;
      try {
        folder = OutputFolder.open(out, { command: "optimize" });
        const constraints = config.constraints
          ? readConstraints(config.constraints)
          : await calibrate(setup, config, join(out, "calibration"), calibrationKnobAxes(config), status, out);
        let progress: StepProgress | undefined;
        let phase: OptimizePhase | undefined;
        let message = "";
        let done = 0;
        status.onChange = () => progress?.update(done, `${message}${status.text()}`);
        const result = await optimize(setup.approximators, constraints, setup.nns, setup.dataset, setup.qos, {
          ...tuningOptimizeOptions(config, setup, seeds, verificationEvaluator(setup, seeds.verification), out),
          outDir: out,
          pointLink: replayPointLink(out),
          onProgress: (p) => {
            done = p.done;
            if (p.phase !== phase) {
              progress?.stop();
              phase = p.phase;
              progress = stepProgress(PHASE_TITLES[p.phase], p.total, { unit: "steps", lineEverySeconds: 10 });
              progress.update(p.done, p.message);
            } else {
              message = `${p.qosRuns !== undefined ? `${p.qosRuns} QoS runs | ` : ""}${p.message}`.slice(0, 110);
              progress?.update(p.done, `${message}${status.text()}`);
            }
          },
        });
        progress?.stop();
        const t = result.report.totals;
        if (result.chosen) {
          console.log(
            `chosen (${result.report.chosen!.scoreText}, verified on seeds [${formatSeeds(result.report.verifySeeds)}] of ${result.report.worlds?.verification}):`,
          );
          for (const c of result.chosen.candidates) {
            const original = result.original.candidates.find((x) => x.nn === c.nn)!;
            console.log(
              `  ${c.nn.padEnd(10)} ${`${c.backbone !== undefined ? `${c.backbone} ` : ""}${c.approximator}${c.level > 0 ? ` level ${c.level}` : ""}`.padEnd(16)} ${c.latencyMs.toFixed(3)} ms (original ${original.latencyMs.toFixed(3)} ms, ${(original.latencyMs / c.latencyMs).toFixed(2)}×) → ${result.files[c.nn]}`,
            );
          }
          for (const [k, v] of Object.entries(result.chosen.knobs)) console.log(`  ${k} = ${v}`);
          console.log(
            `speed-up: ${result.chosenVsOriginal!.speedup.toFixed(2)}× over the original, ${result.chosenVsAgnostic!.speedup.toFixed(2)}× over the application-agnostic choice (${result.report.agnostic.candidates.join(", ")}: QoS ${result.agnostic.qos.pass ? "pass" : "fail"})`,
          );
          if (setup.knobs.length > 0) {
            console.log(
              `compute utilization: ${result.chosenVsOriginal!.utilizationReduction.toFixed(2)}× lower than the original, ${result.chosenVsAgnostic!.utilizationReduction.toFixed(2)}× lower than the application-agnostic choice`,
            );
          }
          console.log(`size: ${result.chosenVsOriginal!.sizeReduction.toFixed(2)}× smaller than the original`);
        } else {
          console.log("no combination met the QoS goal within the budget; no optimized models written");
        }
        console.log(
          `QoS runs: ${t.qosRuns} (+${t.verificationRuns} verification) instead of ${t.exhaustiveQosRuns} for an exhaustive search — ${t.skipped} of ${t.combinations} combinations skipped`,
        );
        console.log(`report: ${result.reportHtml}`);
        const wrote = await writeReplayViewer(out);
        if (wrote) console.log(wrote);
      } finally {
        folder?.release();
        await setup.close();
      }
    });
}
