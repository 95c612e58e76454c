/**
 * `npm run bench:optimize [-- --json <file>] [--repeats <n>]`: guided tuning on a fixed small
 * configuration — two tiny CNNs (test/fixtures/tuningFixtures.ts: 3×24×24 input, width 24),
 * StructuredPruner with 6 levels at 30 % per step, a synthetic monotone QoS that loads the
 * candidate ONNX files and passes when the L1 errors (unit coordinates) sum to ≤ 0.5, and two
 * calibration points on the diagonal. Prints the candidates, the QoS runs of the guided search
 * against an exhaustive search over the same combinations (which is also run, to check that the
 * guided choice is the exhaustive optimum), the chosen combination's speed-up (Σ batch-1 latency,
 * one thread) over the original and over the application-agnostic choice, and the wall time of
 * each phase. QoS counts are deterministic; speed-ups and times are medians over `--repeats`
 * runs (default 3).
 * Then (unless `--no-real`, and when the shipped models and datasets exist) the CropFollow
 * configuration of scripts/examples/cropfollow-optimize.json end to end on the shipped models —
 * retrained pruning levels, inline calibration, guided tuning in the real closed loop — is run
 * once and printed (not in the JSON: its QoS counts depend on simulator outcomes).
 * JSON keys: `optimize.candidates`, `optimize.qosRuns.guided`, `optimize.qosRuns.exhaustive`,
 * `optimize.speedupVsOriginal`, `optimize.speedupVsAgnostic`.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { optimize, readTuningConfig, configSeeds, setupTuning, type OptimizeResult } from "../../index.ts";
import { tuningProblem } from "../../test/fixtures/tuningFixtures.ts";
import { calibrate } from "../commands/calibrate.ts";
import { hasFlag, intFlag, jsonFile } from "./benchArgs.ts";
import { median } from "../../common/index.ts";

const repeats = intFlag("--repeats", 3);

const problem = await tuningProblem({ nSteps: 6, samples: 64 });
const runs: OptimizeResult[] = [];
const dir = mkdtempSync(join(tmpdir(), "bench-optimize-"));
try {
  for (let r = 0; r < repeats; r++) {
    runs.push(
      await optimize(problem.pruner, problem.constraints(), problem.nns, problem.dataset, problem.qos, {
        metrics: problem.metrics,
        outDir: join(dir, `run${r}`),
        latencyRuns: 30,
      }),
    );
  }
  const last = runs[runs.length - 1];
  // Exhaustive search over the same combinations: one QoS run each.
  const t0 = performance.now();
  let best: { score: number; id: number } | undefined;
  for (const c of last.combinations) {
    const models = Object.fromEntries(c.candidates.map((x) => [x.nn, x.file!]));
    const outcome = await problem.qos.evaluateModels(models, { seeds: last.report.seeds });
    if (outcome.pass && (!best || c.score > best.score)) best = { score: c.score, id: c.id };
  }
  const exhaustiveSeconds = (performance.now() - t0) / 1000;

  const candidates = last.report.totals.candidates;
  const guided = last.search.qosRuns;
  const exhaustive = last.report.totals.exhaustiveQosRuns;
  const speedupVsOriginal = median(runs.map((r) => r.chosenVsOriginal?.speedup ?? NaN));
  const speedupVsAgnostic = median(runs.map((r) => r.chosenVsAgnostic?.speedup ?? NaN));
  const phase = (key: "measureSeconds" | "searchSeconds" | "agnosticSeconds" | "writeSeconds") => median(runs.map((r) => r.report.timings[key]));

  console.log("candidates (last run):");
  console.log(`${"candidate".padEnd(14)} ${"l1Error".padStart(9)} ${"latency ms".padStart(11)} ${"MFLOPs".padStart(8)} ${"KiB".padStart(7)}`);
  for (const c of last.report.candidates) {
    const metric = Object.values(c.metrics)[0];
    console.log(
      `${c.id.padEnd(14)} ${metric.toFixed(4).padStart(9)} ${c.latencyMs.toFixed(4).padStart(11)} ${(c.flops / 1e6).toFixed(2).padStart(8)} ${(c.sizeBytes / 1024).toFixed(1).padStart(7)}`,
    );
  }
  const row = (k: string, v: string) => console.log(`${k.padEnd(46)} ${v}`);
  console.log("");
  row("candidates", String(candidates));
  row("combinations", String(last.combinations.length));
  row("QoS runs, guided (+ verification)", `${guided} (+${last.search.verificationRuns})`);
  row("QoS runs, exhaustive", String(exhaustive));
  row("guided choice", `${last.report.chosen?.candidates.join(", ") ?? "none"} (${last.report.chosen?.scoreText ?? "-"})`);
  row("guided choice = exhaustive optimum", String(best !== undefined && last.chosen !== undefined && best.score === last.chosen.score));
  row("application-agnostic choice", last.report.agnostic.candidates.join(", "));
  row(`speed-up vs original (median of ${repeats})`, `${speedupVsOriginal.toFixed(2)}×`);
  row(`speed-up vs application-agnostic (median of ${repeats})`, `${speedupVsAgnostic.toFixed(2)}×`);
  row("wall time: measure candidates (s, median)", phase("measureSeconds").toFixed(2));
  row("wall time: guided search (s, median)", phase("searchSeconds").toFixed(2));
  row("wall time: agnostic baseline QoS (s, median)", phase("agnosticSeconds").toFixed(2));
  row("wall time: write outputs (s, median)", phase("writeSeconds").toFixed(2));
  row("wall time: exhaustive search (s)", exhaustiveSeconds.toFixed(2));

  if (jsonFile) {
    const json = {
      "optimize.candidates": candidates,
      "optimize.qosRuns.guided": guided,
      "optimize.qosRuns.exhaustive": exhaustive,
      "optimize.speedupVsOriginal": speedupVsOriginal,
      "optimize.speedupVsAgnostic": speedupVsAgnostic,
    };
    writeFileSync(jsonFile, JSON.stringify(json, null, 2) + "\n");
    console.log(`wrote ${jsonFile}`);
  }
  const realConfig = join(import.meta.dirname, "..", "examples", "cropfollow-optimize.json");
  if (!hasFlag("--no-real")) {
    const root = join(import.meta.dirname, "..", "..");
    const missing = [join(root, "models", "heading.onnx"), join(root, "data", "example", "cropfollow", "val", "labels.json")].find(
      (f) => !existsSync(f),
    );
    if (missing) console.log(`\nreal CropFollow section skipped: ${missing} is missing (npm run example renders the dataset)`);
    else await realSection(realConfig, join(dir, "real"));
  }
} finally {
  await problem.dispose();
  rmSync(dir, { recursive: true, force: true });
}

async function realSection(configPath: string, out: string): Promise<void> {
  console.log(`\nreal CropFollow (${configPath}, shipped models):`);
  const config = readTuningConfig(configPath);
  const setup = await setupTuning(config, "cropfollow", configPath);
  try {
    const t0 = performance.now();
    const constraints = await calibrate(setup, config, join(out, "calibration"));
    const calibrateSeconds = (performance.now() - t0) / 1000;
    const r = await optimize(setup.approximators, constraints, setup.nns, setup.dataset, setup.qos, {
      objective: setup.objective,
      metrics: setup.metrics,
      calibrationSeeds: configSeeds(config).calibration,
      seeds: configSeeds(config).tuning,
      maxQosRuns: config.maxQosRuns,
      failureFeedback: config.failureFeedback,
      latencyRuns: config.latencyRuns,
      outDir: out,
    });
    const row = (k: string, v: string) => console.log(`${k.padEnd(46)} ${v}`);
    row("candidates", String(r.report.totals.candidates));
    row("QoS runs, guided (+ verification)", `${r.search.qosRuns} (+${r.search.verificationRuns})`);
    row("QoS runs, exhaustive", String(r.report.totals.exhaustiveQosRuns));
    row("chosen", `${r.report.chosen?.candidates.join(", ") ?? "none"}`);
    row(
      "speed-up vs original",
      r.chosenVsOriginal
        ? `${r.chosenVsOriginal.speedup.toFixed(2)}× (${Object.entries(r.chosenVsOriginal.speedupByNn)
            .map(([n, x]) => `${n} ${x.toFixed(2)}×`)
            .join(", ")})`
        : "-",
    );
    row(
      "speed-up vs application-agnostic",
      r.chosenVsAgnostic ? `${r.chosenVsAgnostic.speedup.toFixed(2)}× (agnostic: ${r.report.agnostic.candidates.join(", ")})` : "-",
    );
    row("wall time: levels + error families + calibration (s)", calibrateSeconds.toFixed(1));
    row("wall time: measure candidates (s)", r.report.timings.measureSeconds.toFixed(1));
    row("wall time: guided search (s)", r.report.timings.searchSeconds.toFixed(1));
    row("wall time: agnostic baseline QoS (s)", r.report.timings.agnosticSeconds.toFixed(1));
  } finally {
    await setup.close();
  }
}
