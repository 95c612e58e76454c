import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { check, InputError, stableHash, writeFileAtomic } from "../../common/index.ts";
import type { Approximator } from "../approx/Approximator.ts";
import type { CalibrationAxis } from "../calibrate/CalibrationAxis.ts";
import { Constraints } from "../calibrate/Constraints.ts";
import type { QosOutcome } from "../calibrate/QosOracle.ts";
import { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import type { MetricDirection, MetricFunction } from "../metrics/MetricFunction.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import { accuracy } from "../metrics/classification.ts";
import { iou, precision, recall } from "../metrics/laneMask.ts";
import { bias, l1Error, l2Error, stdDev } from "../metrics/regression.ts";
import { encodeModel } from "../onnx/serialize.ts";
import { agnosticChoice } from "./agnosticChoice.ts";
import type { Candidate, Combination } from "./Candidate.ts";
import { enumerateCombinations, type Knob } from "./enumerateCombinations.ts";
import { guidedSearch, type GuidedSearchResult, type GuidedStep } from "./guidedSearch.ts";
import { measureCandidate } from "./measureCandidate.ts";
import { maxMinFps, type Objective } from "./Objective.ts";
import { buildReport, type OptimizeReport, type PhaseTimings } from "./report.ts";
import { reportHtml } from "./reportHtml.ts";

/**
 * The application with real models in the loop, as guided tuning sees it.
 * The pipelines' `CropFollowQoS`/`GemQoS` provide this.
 */
export interface TuningQos {
  /** Identity of the application configuration, recorded in the report. */
  readonly id?: string;
  /** Runs the closed loop with the given ONNX files (by NN name) and knob values (e.g. `fps`). */
  evaluateModels(models: Readonly<Record<string, string>>, options: { seeds: number[]; knobs?: Record<string, number> }): Promise<QosOutcome>;
}

/** Phases of {@link optimize}, in order. */
export type OptimizePhase = "measure" | "search" | "agnostic" | "write";

/** Progress of {@link optimize}: `done` of `total` units of the current phase. */
export interface OptimizeProgress {
  phase: OptimizePhase;
  done: number;
  /** Units in the phase; for `search` the number of combinations (an upper bound on the steps). */
  total: number;
  message: string;
  /** QoS runs so far (search phase). */
  qosRuns?: number;
}

/**
 * An application knob searched with the NNs. When the constraints have no
 * axis of its name, one is added (from the best to the worst of `values`,
 * in `direction`), and the calibration's points are placed at the knob's
 * original value (`values[0]`): outcomes at one rate then say nothing
 * about a better rate's failures or a worse rate's passes.
 */
export interface TuningKnob extends Knob {
  /** Which way the application gets no worse. @default "higher-better" (e.g. the perception rate) */
  direction?: MetricDirection;
}

/** Options of {@link optimize}. */
export interface OptimizeOptions {
  /** What to maximize over valid combinations. @default maxMinFps (CropFollow) */
  objective?: Objective;
  /**
   * Error metrics measured on every candidate; their names must be the
   * constraints' axis names. @default one per axis named `<nn>.<metric>`
   * with a built-in metric (l1Error, l2Error, bias, stdDev, iou, recall,
   * precision, accuracy)
   */
  metrics?: ErrorMetric[];
  /**
   * Application knobs searched with the NNs (e.g. `{ name: "fps", values: [10, 5] }`).
   * The first value of each is the application's original setting, used for
   * the original and the application-agnostic combinations. @default none
   */
  knobs?: TuningKnob[];
  /** Calibration seeds for QoS runs: a count K (seeds 0…K−1) or the list. @default 3 */
  seeds?: number | number[];
  /**
   * Fresh seeds verifying the choice (and evaluating the application-agnostic
   * baseline). @default as many as `seeds`, numbered after the largest of them
   */
  verifySeeds?: number | number[];
  /** Where candidates, the chosen models and the reports go. @default "optimized" */
  outDir?: string;
  /** At most this many QoS runs on uncertain combinations. @default Infinity */
  maxQosRuns?: number;
  /** Timed batch-1 runs per latency measurement (median kept). @default 20 */
  latencyRuns?: number;
  /** Relative slack for "no accuracy loss" in the application-agnostic choice. @default 0 */
  agnosticTolerance?: number;
  onProgress?: (progress: OptimizeProgress) => void;
}

/** Latency, size and FLOPs of one combination against another (ratios > 1 mean the first is better). */
export interface Comparison {
  /** Σ latency of the other / Σ latency of this (compute per frame). */
  speedup: number;
  /** Per NN: latency of the other / latency of this. */
  speedupByNn: Record<string, number>;
  /** Σ encoded size of the other / Σ size of this. */
  sizeReduction: number;
  /** Σ FLOPs of the other / Σ FLOPs of this. */
  flopsReduction: number;
  /**
   * Compute utilization of the other / this: Σ latency × perception rate
   * (the `fps` knob; equal to `speedup` when neither has one).
   */
  utilizationReduction: number;
}

/** Result of {@link optimize}. */
export interface OptimizeResult {
  /** The best valid combination that passed verification on fresh seeds; undefined when none did. */
  chosen?: Combination;
  chosenVerification?: QosOutcome;
  /** Chosen optimized ONNX files by NN name (written to `outDir`). */
  files: Record<string, string>;
  /** The unapproximated NNs at the knobs' original values. */
  original: Combination;
  /** What "keep the accuracy" tools pick, and its QoS on the verification seeds. */
  agnostic: { combination: Combination; qos: QosOutcome };
  chosenVsOriginal?: Comparison;
  chosenVsAgnostic?: Comparison;
  /**
   * The constraints after the search's feedback: the `constraints` argument
   * itself (updated in place), or a copy extended by knob axes it lacked.
   */
  constraints: Constraints;
  /** Candidates per NN, in `nns` order; index 0 is the original. */
  candidates: Candidate[][];
  combinations: Combination[];
  search: GuidedSearchResult;
  report: OptimizeReport;
  reportJson: string;
  reportHtml: string;
}

const BUILTIN_METRICS: Record<string, MetricFunction> = { l1Error, l2Error, bias, stdDev, iou, recall, precision, accuracy };

/**
 * ApproxCaliper phase 2, guided tuning, end to end:
 * 1. candidates — every level of every approximator for every NN (or of
 *    each NN's own approximators, given by NN name), plus the original
 *    (level 0);
 * 2. cheap measurements of each — metrics on `dataset`, batch-1 latency on
 *    one thread, FLOPs, params, encoded size — each written to
 *    `<outDir>/candidates/<nn>.<approximator>-<level>.<content hash>.onnx`
 *    so the QoS workers can load it;
 * 3. every combination (one candidate per NN × knob values), walked best
 *    objective first by {@link guidedSearch}: QoS only where `constraints`
 *    cannot decide, outcomes fed back (into `constraints`, or its copy
 *    extended by knob axes: see {@link OptimizeResult.constraints}), the
 *    choice verified on fresh seeds;
 * 4. the application-agnostic baseline ({@link agnosticChoice}) and its QoS;
 * 5. the chosen models as `<outDir>/<nn>.onnx`, `report.json`, `report.html`.
 *
 * @example
 * const result = await optimize(pruner, constraints, [heading, distance], dataset, qos, { outDir: "out" });
 * result.chosenVsOriginal?.speedup; result.search.qosRuns;
 */
export async function optimize(
  approximators: Approximator | readonly Approximator[] | Readonly<Record<string, Approximator | readonly Approximator[]>>,
  calibrated: Constraints,
  nns: readonly ModelRunner[],
  dataset: LabeledDataset,
  qos: TuningQos,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  check(nns.length > 0, "optimize", () => "needs at least one NN");
  const approxFor = approximatorsByNn(approximators, nns);
  check(new Set(nns.map((n) => n.name)).size === nns.length, "optimize", () => `NN names must be distinct: ${nns.map((n) => n.name).join(", ")}`);
  const objective = options.objective ?? maxMinFps;
  const knobs = options.knobs ?? [];
  const constraints = withKnobAxes(calibrated, knobs);
  const metrics = options.metrics ?? defaultMetrics(constraints, nns);
  const seeds = seedList(options.seeds ?? 3, "seeds");
  const verifySeeds =
    options.verifySeeds === undefined
      ? Array.from({ length: seeds.length }, (_, k) => Math.max(...seeds) + 1 + k)
      : seedList(options.verifySeeds, "verifySeeds");
  const outDir = resolve(options.outDir ?? "optimized");
  const candidateDir = join(outDir, "candidates");
  await mkdir(candidateDir, { recursive: true });
  const progress = options.onProgress ?? (() => {});
  const timings: PhaseTimings = { measureSeconds: 0, searchSeconds: 0, agnosticSeconds: 0, writeSeconds: 0 };

  // 1–2. Candidates and their cheap measurements.
  let t0 = performance.now();
  const total = nns.reduce((s, nn) => s + 1 + approxFor(nn.name).reduce((t, a) => t + a.nSteps, 0), 0);
  let done = 0;
  const candidates: Candidate[][] = [];
  for (const nn of nns) {
    const source = nn.model;
    if (!source) throw new InputError(`NN ${nn.name}`, "has no ONNX model to approximate");
    const list: Candidate[] = [];
    const add = async (approximator: string, level: number, fraction: number, model: typeof source) => {
      progress({ phase: "measure", done, total, message: `${nn.name} ${approximator} ${level}` });
      const c = await measureCandidate({ nn: nn.name, approximator, level, fraction }, model, metrics, dataset, { runs: options.latencyRuns });
      // The content hash in the name keeps path-keyed QoS caches (the pipelines' cache file) from
      // answering for a different model written to the same place by an earlier run.
      const bytes = encodeModel(model);
      const digest = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
      c.file = join(candidateDir, `${safe(nn.name)}.${safe(approximator)}-${level}.${digest}.onnx`);
      await writeFileAtomic(c.file, bytes);
      delete c.model; // written out; keeping every level in memory is what makes big sweeps swap
      list.push(c);
      done++;
    };
    await add("original", 0, 0, source);
    for (const a of approxFor(nn.name)) for await (const lvl of a.levels(source)) await add(a.name, lvl.level, lvl.fraction, lvl.model);
    candidates.push(list);
  }
  progress({ phase: "measure", done, total, message: "measured" });
  timings.measureSeconds = (performance.now() - t0) / 1000;

  // 3. Guided search.
  t0 = performance.now();
  const combinations = enumerateCombinations(candidates, knobs, constraints, objective);
  const cache = new Map<string, Promise<QosOutcome>>();
  const run = (combination: Combination, runSeeds: number[]): Promise<QosOutcome> => {
    const models: Record<string, string> = {};
    for (const c of combination.candidates) models[c.nn] = c.file!;
    const key = stableHash({ models, knobs: combination.knobs, seeds: runSeeds });
    let outcome = cache.get(key);
    if (!outcome) {
      outcome = qos.evaluateModels(models, { seeds: runSeeds, knobs: combination.knobs });
      cache.set(key, outcome);
    }
    return outcome;
  };
  let steps = 0;
  let qosRuns = 0;
  const search = await guidedSearch(combinations, constraints, {
    evaluate: (c) => run(c, seeds),
    verify: (c) => run(c, verifySeeds),
    maxQosRuns: options.maxQosRuns,
    onStep: (step: GuidedStep) => {
      steps++;
      if (step.qos) qosRuns++;
      progress({ phase: "search", done: steps, total: combinations.length, qosRuns, message: describeStep(step, objective) });
    },
  });
  timings.searchSeconds = (performance.now() - t0) / 1000;

  // 4. Application-agnostic baseline.
  t0 = performance.now();
  const originalKnobs: Record<string, number> = {};
  for (const k of knobs) originalKnobs[k.name] = k.values[0];
  const find = (picked: readonly Candidate[]) =>
    combinations.find((c) => c.candidates.every((x, i) => x === picked[i]) && knobs.every((k) => c.knobs[k.name] === originalKnobs[k.name]))!;
  const original = find(candidates.map((l) => l[0]));
  const agnosticCombination = find(agnosticChoice(candidates, constraints.axes, options.agnosticTolerance ?? 0));
  progress({ phase: "agnostic", done: 0, total: 1, message: "application-agnostic choice" });
  const agnosticQos = await run(agnosticCombination, verifySeeds);
  progress({ phase: "agnostic", done: 1, total: 1, message: `application-agnostic choice ${agnosticQos.pass ? "passes" : "fails"}` });
  timings.agnosticSeconds = (performance.now() - t0) / 1000;

  // 5. Outputs.
  t0 = performance.now();
  const files: Record<string, string> = {};
  if (search.chosen) {
    for (const c of search.chosen.candidates) {
      files[c.nn] = join(outDir, `${safe(c.nn)}.onnx`);
      await writeFileAtomic(files[c.nn], await readFile(c.file!));
    }
  }
  timings.writeSeconds = (performance.now() - t0) / 1000;
  const chosenVsOriginal = search.chosen && compare(search.chosen, original);
  const chosenVsAgnostic = search.chosen && compare(search.chosen, agnosticCombination);
  const report = buildReport({
    objective,
    qosId: qos.id,
    constraints,
    seeds,
    verifySeeds,
    candidates,
    combinations,
    search,
    original,
    agnostic: { combination: agnosticCombination, qos: agnosticQos },
    files,
    chosenVsOriginal,
    chosenVsAgnostic,
    agnosticVsOriginal: compare(agnosticCombination, original),
    timings,
  });
  const reportJson = join(outDir, "report.json");
  const reportHtmlPath = join(outDir, "report.html");
  await writeFileAtomic(reportJson, JSON.stringify(report, null, 2) + "\n");
  await writeFileAtomic(reportHtmlPath, reportHtml(report, constraints));
  progress({ phase: "write", done: 1, total: 1, message: `wrote ${reportHtmlPath}` });

  return {
    chosen: search.chosen,
    chosenVerification: search.chosenVerification,
    files,
    original,
    agnostic: { combination: agnosticCombination, qos: agnosticQos },
    chosenVsOriginal,
    chosenVsAgnostic,
    candidates,
    combinations,
    constraints,
    search,
    report,
    reportJson,
    reportHtml: reportHtmlPath,
  };
}

/** How combination `a` compares with `b` (ratios > 1: `a` is faster/smaller). */
export function compare(a: Combination, b: Combination): Comparison {
  const sum = (c: Combination, f: (x: Candidate) => number) => c.candidates.reduce((s, x) => s + f(x), 0);
  const speedupByNn: Record<string, number> = {};
  a.candidates.forEach((x, i) => (speedupByNn[x.nn] = b.candidates[i].latencyMs / x.latencyMs));
  return {
    speedup: sum(b, (x) => x.latencyMs) / sum(a, (x) => x.latencyMs),
    speedupByNn,
    sizeReduction: sum(b, (x) => x.sizeBytes) / sum(a, (x) => x.sizeBytes),
    flopsReduction: sum(b, (x) => x.flops) / sum(a, (x) => x.flops),
    utilizationReduction: (sum(b, (x) => x.latencyMs) * (b.knobs.fps ?? 1)) / (sum(a, (x) => x.latencyMs) * (a.knobs.fps ?? 1)),
  };
}

/**
 * The approximators of each NN: the same for every NN (one or a list), or a
 * record by NN name (e.g. pruners whose fine-tuning recipes train each NN on
 * its own label column).
 */
function approximatorsByNn(
  approximators: Approximator | readonly Approximator[] | Readonly<Record<string, Approximator | readonly Approximator[]>>,
  nns: readonly ModelRunner[],
): (nn: string) => readonly Approximator[] {
  if (Array.isArray(approximators)) return () => approximators as readonly Approximator[];
  if (isApproximator(approximators)) return () => [approximators];
  const byNn = approximators as Readonly<Record<string, Approximator | readonly Approximator[]>>;
  for (const name of Object.keys(byNn)) {
    check(nns.some((n) => n.name === name), `approximators.${name}`, () => `not one of the NNs (${nns.map((n) => n.name).join(", ")})`);
  }
  return (nn) => {
    const a = byNn[nn];
    return a === undefined ? [] : Array.isArray(a) ? (a as readonly Approximator[]) : [a as Approximator];
  };
}

function isApproximator(x: unknown): x is Approximator {
  return typeof (x as Approximator).levels === "function" && typeof (x as Approximator).nSteps === "number";
}

/** `constraints`, or a copy with an axis for each knob it lacks (calibration points at the knobs' original values). */
function withKnobAxes(constraints: Constraints, knobs: readonly TuningKnob[]): Constraints {
  const missing = knobs.filter((k) => !constraints.axes.some((a) => a.name === k.name));
  if (missing.length === 0) return constraints;
  const extra: CalibrationAxis[] = missing.map((k) => {
    check(k.values.length > 0 && k.values.every(Number.isFinite), `knob ${k.name}`, () => "needs finite values");
    const direction = k.direction ?? "higher-better";
    const lo = Math.min(...k.values);
    const hi = Math.max(...k.values);
    // A single-valued knob still needs a non-empty axis range.
    const [best, worst] = direction === "higher-better" ? [hi, lo === hi ? hi - 1 : lo] : [lo, lo === hi ? lo + 1 : hi];
    return { name: k.name, direction, best, worst };
  });
  const out = new Constraints([...constraints.axes, ...extra]);
  const at = missing.map((k) => k.values[0]);
  for (const p of constraints.points) out.add([...p.point, ...at], p.pass, p.hash);
  return out;
}

/** One metric per constraint axis that is not a knob, from the axis name `<nn>.<metric>`. */
function defaultMetrics(constraints: Constraints, nns: readonly ModelRunner[]): ErrorMetric[] {
  const out: ErrorMetric[] = [];
  for (const axis of constraints.axes) {
    const dot = axis.name.lastIndexOf(".");
    const nn = nns.find((n) => n.name === axis.name.slice(0, dot));
    if (dot < 0 || !nn) continue; // a knob axis, or a typo that pointOf reports with the measured names
    const fn = BUILTIN_METRICS[axis.name.slice(dot + 1)];
    if (!fn) {
      throw new InputError(`axis ${axis.name}`, `no built-in metric "${axis.name.slice(dot + 1)}" (${Object.keys(BUILTIN_METRICS).join(", ")}); pass options.metrics`);
    }
    out.push(new ErrorMetric(nn, fn, { name: axis.name, direction: axis.direction }));
  }
  return out;
}

function seedList(seeds: number | number[], where: string): number[] {
  const list = typeof seeds === "number" ? Array.from({ length: seeds }, (_, k) => k) : seeds.slice();
  check(list.length > 0 && list.every(Number.isInteger), where, () => "must be a positive count or a non-empty list of integers");
  return list;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "_");
}

function describeStep(step: GuidedStep, objective: Objective): string {
  const c = step.combination;
  const what = c.candidates.map((x) => `${x.nn}:${x.approximator}${x.level > 0 ? `-${x.level}` : ""}`).join(" ");
  const knobs = Object.entries(c.knobs).map(([k, v]) => ` ${k}=${v}`).join("");
  const outcome = step.qos ? `QoS ${step.qos.pass ? "pass" : "fail"}` : step.classification;
  return `${what}${knobs} (${objective.describe(c.score)}): ${outcome}${step.verification ? `, verification ${step.verification.pass ? "pass" : "fail"}` : ""}`;
}
