import { mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { formatSeeds, OutputFolder, writeFileAtomic } from "../../common/index.ts";
import {
  boundarySvg,
  combinationQos,
  errorCalibrate,
  EvaluationLog,
  loadModel,
  loopFidelityPoint,
  measureInterleaved,
  optimize,
  outcomeRuns,
  summarizeLoopFidelity,
  unguidedWalk,
  type Combination,
  type Constraints,
  type OptimizeResult,
  type QosOutcome,
} from "../../optimizer/index.ts";
import type { RecordMode } from "../recording/RecordMode.ts";
import { describeWorld } from "../tuning/describeWorld.ts";
import { readConstraints } from "../tuning/readConstraints.ts";
import { setupTuning, type TuningSetup } from "../tuning/setupTuning.ts";
import { calibrationKnobAxes, configSeeds, readTuningConfig, type TuningConfig } from "../tuning/TuningConfig.ts";
import { tuningErrorDistribution } from "../tuning/tuningErrorDistribution.ts";
import { tuningOptimizeOptions } from "../tuning/tuningOptimizeOptions.ts";
import { verificationEvaluator, verificationOracles } from "../tuning/verificationEvaluator.ts";
import { evidenceHtml } from "./evidenceHtml.ts";
import { evidenceMetrics } from "./evidenceMetrics.ts";
import type { ApplicationEvidence, EvidenceChoice, EvidenceReport, LatencyComparison, Spread } from "./EvidenceReport.ts";
import { evidenceSummary } from "./evidenceSummary.ts";

/** One application of an evidence run and its tuning configuration file. */
export interface EvidenceApplication {
  /** A registered application (`cropfollow`, `gem`, …). */
  application: string;
  /** Its tuning configuration (candidates, dataset, calibration, seeds, agnostic baseline, unguided cap). */
  config: string;
}

/** Options of {@link runEvidence}. */
export interface EvidenceOptions {
  /** Output folder: report.json, report.html, summary.md, and one working folder per application. */
  out: string;
  /** Also write the flat metrics to this file (`evidence.<app>.…`). */
  json?: string;
  /** Replays of the QoS runs (`failing` by default, as the other commands). */
  record?: RecordMode;
  /** Interleaved latency rounds per comparison. @default 15 */
  latencyRounds?: number;
  /** Progress, one line at a time. */
  onProgress?: (line: string) => void;
}

/**
 * The paper's comparison, reproduced for each application: calibration
 * (error families per backbone, budget per network) on the calibration
 * seeds, guided tuning over every backbone × level (× knob) on the tuning
 * seeds, the unguided walk over the same combinations (best objective first,
 * a QoS run each until one passes: the true optimum and what finding it
 * costs without calibration), the application-agnostic baseline at each
 * tolerance, verification of every chosen combination on the verification
 * seeds and worlds, and interleaved latency of the chosen models against the
 * baselines. Writes `<out>/report.json`, `<out>/report.html` and
 * `<out>/summary.md` (the paper's table side by side); each application's
 * calibration and tuning go to `<out>/<application>/` (resumable: the
 * calibration's checkpoint and a QoS cache persist there).
 *
 * @example
 * const report = await runEvidence([{ application: "cropfollow", config: "evidence/cropfollow.json" }], { out: "evidence" });
 * report.metrics["evidence.cropfollow.speedupVsAgnostic"];
 */
export async function runEvidence(apps: readonly EvidenceApplication[], options: EvidenceOptions): Promise<EvidenceReport> {
  const out = resolve(options.out);
  // Every configuration is read (and its errors reported) before anything runs.
  const configs = apps.map((a) => ({ ...a, parsed: readTuningConfig(a.config) }));
  for (const c of configs) configSeeds(c.parsed, c.config);
  mkdirSync(out, { recursive: true });
  const folder = OutputFolder.open(out, { command: "evidence" });
  const t0 = performance.now();
  try {
    const applications: ApplicationEvidence[] = [];
    for (const c of configs) applications.push(await applicationEvidence(c.application, c.config, c.parsed, out, options));
    const report: EvidenceReport = {
      version: 1,
      applications,
      seconds: (performance.now() - t0) / 1000,
      machine: { cpus: cpus().length, loadAverage: loadavg(), node: process.version },
      metrics: evidenceMetrics(applications),
    };
    await writeFileAtomic(join(out, "report.json"), JSON.stringify(report, null, 2) + "\n");
    await writeFileAtomic(join(out, "report.html"), evidenceHtml(report, out));
    await writeFileAtomic(join(out, "summary.md"), evidenceSummary(report, out));
    if (options.json) await writeFileAtomic(resolve(options.json), JSON.stringify(report.metrics, null, 2) + "\n");
    return report;
  } finally {
    folder.release();
  }
}

async function applicationEvidence(
  application: string,
  configPath: string,
  config: TuningConfig,
  out: string,
  options: EvidenceOptions,
): Promise<ApplicationEvidence> {
  const log = (line: string) => options.onProgress?.(`${application}: ${line}`);
  const dir = join(out, application);
  mkdirSync(dir, { recursive: true });
  const seeds = configSeeds(config, configPath);
  const record = { mode: options.record ?? "failing", dir: join(dir, "replays") };
  const setup = await setupTuning(config, application, configPath, undefined, record, join(dir, "qos-cache.jsonl"));
  const clock = { calibration: 0, guided: 0, unguided: 0, latency: 0, total: 0 };
  const t0 = performance.now();
  const timed = async <T>(key: keyof typeof clock, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      clock[key] = (performance.now() - t) / 1000;
    }
  };
  try {
    const constraints = await timed("calibration", () => calibration(setup, config, seeds.calibration, join(dir, "calibration"), log));
    const calibrationSummary = {
      source: config.constraints ? ("file" as const) : ("inline" as const),
      evaluations: constraints.points.length,
      pass: constraints.passPoints.length,
      fail: constraints.failPoints.length,
      classifiedFraction: constraints.classifiedFraction(),
    };
    const verifyWorlds = verificationOracles(setup).map((q) => q.world);
    log(`guided tuning on seeds [${formatSeeds(seeds.tuning)}]`);
    let lastPhase = "";
    // One evaluator for the guided search's and the unguided walk's verifications: the same rule; a combination both verify is simulated once (the QoS run cache).
    const verify = verificationEvaluator(setup, seeds.verification);
    const result = await timed("guided", () =>
      optimize(setup.approximators, constraints, setup.nns, setup.dataset, setup.qos, {
        ...tuningOptimizeOptions(config, setup, seeds, verify, dir),
        outDir: join(dir, "tuning"),
        onProgress: (p) => {
          if (p.phase !== lastPhase || p.phase !== "measure") log(`${p.phase} ${p.done}/${p.total} ${p.message}`);
          lastPhase = p.phase;
        },
      }),
    );
    log(`unguided walk on seeds [${formatSeeds(seeds.tuning)}]${config.unguided ? ` (at most ${config.unguided.maxQosRuns} QoS runs)` : ""}`);
    const run = combinationQos(setup.qos);
    const walk = await timed("unguided", () =>
      unguidedWalk(result.combinations, {
        evaluate: (c) => run(c, seeds.tuning),
        verify,
        maxQosRuns: config.unguided?.maxQosRuns,
        onStep: (s, done) =>
          log(
            `unguided ${done}: ${describe(s.combination)} ${s.qos.pass ? "pass" : "fail"}` +
              (s.verification ? `, verification ${s.verification.pass ? "pass" : "fail"}` : ""),
          ),
      }),
    );
    const report = result.report;
    const choice = (c: Combination): EvidenceChoice => ({
      combination: c.id,
      candidates: report.combinations[c.id].candidates,
      knobs: { ...c.knobs },
      score: c.score,
      scoreText: setup.objective.describe(c.score),
      sizeBytes: c.candidates.reduce((s, x) => s + x.sizeBytes, 0),
    });
    const variants = result.agnosticVariants.map((v) => ({ tolerance: v.tolerance, choice: choice(v.combination), qos: v.qos }));
    const passing = result.agnosticVariants
      .filter((v) => v.qos.pass && !v.qos.uncertain)
      .sort((a, b) => b.combination.score - a.combination.score);
    const best = passing[0];
    const fidelity = summarizeLoopFidelity([
      ...report.fidelity.points,
      ...walk.steps
        .filter((s) => !result.search.steps.some((g) => g.combination.id === s.combination.id && g.qos))
        .map((s) =>
          loopFidelityPoint({ combination: s.combination.id, role: "unguided", predicted: result.calibrated[s.combination.id], outcome: s.qos }),
        ),
      ...walk.steps
        .filter((s) => s.verification && !result.search.steps.some((g) => g.combination.id === s.combination.id && g.verification))
        .map((s) =>
          loopFidelityPoint({
            combination: s.combination.id,
            role: "unguided verification",
            predicted: result.calibrated[s.combination.id],
            outcome: s.verification!,
          }),
        ),
    ]);
    const runs = (outcomes: (QosOutcome | undefined)[]) => outcomes.reduce((sum, o) => sum + runsBehind(o), 0);
    const closedLoopRuns: ApplicationEvidence["closedLoopRuns"] = {
      ...(config.constraints ? {} : { calibration: calibrationRuns(constraints, join(dir, "calibration", "evaluations.jsonl")) }),
      guided: runs(result.search.steps.map((s) => s.qos)),
      guidedVerification: runs(result.search.steps.map((s) => s.verification)),
      unguided: runs(walk.steps.map((s) => s.qos)),
      unguidedVerification: runs(walk.steps.map((s) => s.verification)),
    };
    const chosen = result.chosen;
    log("interleaved latency of the chosen models against the agnostic baselines");
    const rounds = options.latencyRounds ?? 15;
    const [vsAgnostic, vsBestAgnostic] = await timed("latency", async () => [
      chosen ? await latencyComparison(chosen, result.agnostic.combination, setup, rounds) : undefined,
      chosen && best ? await latencyComparison(chosen, best.combination, setup, rounds) : undefined,
    ]);
    const verification = verificationOf(result.chosenVerification, seeds.verification.length * verifyWorlds.length);
    clock.total = (performance.now() - t0) / 1000;
    const evidence: ApplicationEvidence = {
      application,
      config: resolve(configPath),
      objective: setup.objective.name,
      goal: setup.qos.target,
      seeds,
      worlds: {
        calibration: config.constraints ? `(constraints file ${config.constraints})` : describeWorld(setup.qos.world),
        tuning: describeWorld(setup.qos.world),
        verification: verifyWorlds.map(describeWorld),
      },
      candidates: candidateCounts(result),
      combinations: result.combinations.length,
      calibration: calibrationSummary,
      guided: {
        qosRuns: result.search.qosRuns,
        verificationRuns: result.search.verificationRuns,
        ...(chosen ? { chosen: choice(chosen) } : {}),
        ...(result.chosenVerification ? { verification: result.chosenVerification } : {}),
      },
      unguided: {
        qosRuns: walk.qosRuns,
        verificationRuns: walk.verificationRuns,
        capped: walk.capped,
        ...(walk.optimum ? { optimum: choice(walk.optimum) } : {}),
      },
      closedLoopRuns,
      guidedEqualsUnguided: chosen !== undefined && walk.optimum !== undefined && chosen.id === walk.optimum.id,
      ...(chosen && walk.optimum ? { objectiveGap: (walk.optimum.score - chosen.score) / Math.abs(walk.optimum.score) } : {}),
      agnostic: { ...(config.agnostic?.reference !== undefined ? { reference: config.agnostic.reference } : {}), ...variants[0] },
      agnosticVariants: variants,
      ...(best ? { bestAgnostic: { tolerance: best.tolerance, choice: choice(best.combination) } } : {}),
      ...(vsAgnostic ? { vsAgnostic } : {}),
      ...(vsBestAgnostic ? { vsBestAgnostic } : {}),
      verification,
      fidelity,
      reportJson: result.reportJson,
      seconds: clock,
    };
    log(
      `done in ${clock.total.toFixed(0)} s: guided ${evidence.guided.qosRuns} vs unguided ${walk.qosRuns}${walk.capped ? "+" : ""} QoS runs; ` +
        (vsAgnostic
          ? `speed-up ${vsAgnostic.speedup.median.toFixed(2)}×, utilization ${vsAgnostic.utilizationReduction.median.toFixed(2)}× lower than agnostic`
          : "nothing chosen"),
    );
    return evidence;
  } finally {
    await setup.close();
  }
}

/** The configuration's constraints file, or an inline calibration on the calibration seeds (resumable from its checkpoint). */
async function calibration(
  setup: TuningSetup,
  config: TuningConfig,
  seeds: number[],
  dir: string,
  log: (line: string) => void,
): Promise<Constraints> {
  if (config.constraints) {
    log(`constraints from ${config.constraints}`);
    return readConstraints(config.constraints);
  }
  mkdirSync(dir, { recursive: true });
  log("measuring error families (per backbone, pooled per network)");
  const families = await tuningErrorDistribution(setup);
  await writeFileAtomic(join(dir, "error-distribution.json"), JSON.stringify(families.calibration.toJSON(), null, 2) + "\n");
  if (families.byBackbone)
    await writeFileAtomic(join(dir, "error-families-by-backbone.json"), JSON.stringify(families.byBackbone.toJSON(), null, 2) + "\n");
  const cal = config.calibration;
  log(`calibrating on seeds [${formatSeeds(seeds)}] (${cal.iters} QoS evaluations at most)`);
  const constraints = await errorCalibrate(setup.nns, families.calibration, setup.metrics, setup.qos, {
    iters: cal.iters,
    precision: cal.precision,
    seeds,
    workers: config.workers,
    bounds: cal.bounds ? setup.nns.map((nn) => cal.bounds?.[nn.name]) : undefined,
    knobs: calibrationKnobAxes(config),
    checkpoint: join(dir, "evaluations.jsonl"),
    onProgress: (p) =>
      log(
        `calibrate ${p.done}/${p.total} ${p.pass ? "pass" : "fail"} at [${p.point.map((v) => +v.toPrecision(3)).join(", ")}]${p.cached ? " (replayed)" : ""}`,
      ),
  });
  await writeFileAtomic(join(dir, "constraints.json"), JSON.stringify(constraints.toJSON(), null, 2) + "\n");
  await writeFileAtomic(join(dir, "boundary.svg"), boundarySvg(constraints));
  return constraints;
}

/** Interleaved batch-1 latency of each NN's chosen model against the baseline's, and the pipeline ratios. */
async function latencyComparison(chosen: Combination, baseline: Combination, setup: TuningSetup, rounds: number): Promise<LatencyComparison> {
  const byNn: LatencyComparison["byNn"] = {};
  const lat: { b: Spread; c: Spread }[] = [];
  for (const [i, c] of chosen.candidates.entries()) {
    const b = baseline.candidates[i];
    const [bm, cm] = [await loadModel(b.file!, { intraOpThreads: 1 }), await loadModel(c.file!, { intraOpThreads: 1 })];
    try {
      const [lb, lc] = await measureInterleaved([bm, cm], { warmup: 10, rounds, runsPerBlock: 10 });
      byNn[c.nn] = { baselineMs: lb.medianMs, chosenMs: lc.medianMs, speedup: lc.speedup };
      lat.push({ b: { median: lb.medianMs, p10: lb.p10Ms, p90: lb.p90Ms }, c: { median: lc.medianMs, p10: lc.p10Ms, p90: lc.p90Ms } });
    } finally {
      await bm.dispose();
      await cm.dispose();
    }
  }
  const fpsOf = (x: Combination) => x.knobs.fps ?? setup.qos.spec.defaults.fps;
  // Conservative spreads: the baseline at its fast end against the chosen at its slow end, and the reverse.
  const ratio = (f: (s: Spread) => number, g: (s: Spread) => number, combine: (xs: number[]) => number, rb = 1, rc = 1) =>
    (combine(lat.map((x) => f(x.b))) * rb) / (combine(lat.map((x) => g(x.c))) * rc);
  const max = (xs: number[]) => Math.max(...xs);
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const single = lat.length === 1 ? Object.values(byNn)[0].speedup : undefined;
  const speedup: Spread = {
    median: ratio(
      (s) => s.median,
      (s) => s.median,
      max,
    ),
    p10: ratio(
      (s) => s.p10,
      (s) => s.p90,
      max,
    ),
    p90: ratio(
      (s) => s.p90,
      (s) => s.p10,
      max,
    ),
  };
  const rb = fpsOf(baseline);
  const rc = fpsOf(chosen);
  const utilizationReduction: Spread = {
    median: ratio(
      (s) => s.median,
      (s) => s.median,
      sum,
      rb,
      rc,
    ),
    p10: ratio(
      (s) => s.p10,
      (s) => s.p90,
      sum,
      rb,
      rc,
    ),
    p90: ratio(
      (s) => s.p90,
      (s) => s.p10,
      sum,
      rb,
      rc,
    ),
  };
  const size = (x: Combination) => x.candidates.reduce((s, c) => s + c.sizeBytes, 0);
  return {
    // One NN: its per-round speed-up (same conditions per round) is the tighter measure.
    speedup: single ?? speedup,
    utilizationReduction: single
      ? { median: (single.median * rb) / rc, p10: (single.p10 * rb) / rc, p90: (single.p90 * rb) / rc }
      : utilizationReduction,
    sizeReduction: size(baseline) / size(chosen),
    byNn,
  };
}

/** Closed-loop runs one verdict rests on; 0 when its detail does not say. */
const runsBehind = (outcome: QosOutcome | undefined): number => outcomeRuns(outcome)?.runs ?? 0;

/** Closed-loop runs behind the calibration's points, from its checkpoint (records of other calibrations in it are not counted). */
function calibrationRuns(constraints: Constraints, checkpoint: string): number {
  const byHash = new Map(
    EvaluationLog.open(checkpoint)
      .records()
      .map((r) => [r.hash, r]),
  );
  return constraints.points.reduce((sum, p) => {
    const record = p.hash === undefined ? undefined : byHash.get(p.hash);
    return sum + (record ? runsBehind(record) : 0);
  }, 0);
}

/** Runs and passes behind the chosen combination's verification verdict. */
function verificationOf(outcome: QosOutcome | undefined, fallbackRuns: number): ApplicationEvidence["verification"] {
  if (!outcome) return { pass: false, runs: 0, passedRuns: 0, passRate: 0 };
  const counted = outcomeRuns(outcome);
  const runs = counted?.runs ?? fallbackRuns;
  const passedRuns = counted?.passedRuns ?? (outcome.pass ? runs : 0);
  return { pass: outcome.pass && !outcome.uncertain, runs, passedRuns, passRate: runs > 0 ? passedRuns / runs : 0 };
}

function candidateCounts(result: OptimizeResult): ApplicationEvidence["candidates"] {
  const counts = new Map<string, { nn: string; backbone?: string; count: number }>();
  for (const c of result.candidates.flat()) {
    const key = `${c.nn}/${c.backbone ?? ""}`;
    const entry = counts.get(key) ?? { nn: c.nn, ...(c.backbone !== undefined ? { backbone: c.backbone } : {}), count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

function describe(c: Combination): string {
  const knobs = Object.entries(c.knobs).map(([k, v]) => ` ${k}=${v}`);
  return `${c.candidates.map((x) => `${x.nn}/${x.backbone !== undefined ? `${x.backbone}/` : ""}${x.approximator}-${x.level}`).join(" ")}${knobs.join("")}`;
}
