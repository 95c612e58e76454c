import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { check, writeFileAtomic } from "../../common/index.ts";
import type { Constraints } from "../calibrate/Constraints.ts";
import type { QosOutcome } from "../calibrate/QosOracle.ts";
import type { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import { agnosticChoice } from "./agnosticChoice.ts";
import { approximatorsByNn, type ApproximatorsInput } from "./approximatorsByNn.ts";
import type { Candidate, Combination } from "./Candidate.ts";
import { compare, type Comparison } from "./compare.ts";
import { defaultMetrics } from "./defaultMetrics.ts";
import { enumerateCombinations } from "./enumerateCombinations.ts";
import { guidedSearch, type GuidedSearchResult, type GuidedStep } from "./guidedSearch.ts";
import { measureCandidates, safeFileName } from "./measureCandidates.ts";
import { maxMinFps, type Objective } from "./Objective.ts";
import { buildReport, type OptimizeReport, type PhaseTimings } from "./report.ts";
import { reportHtml } from "./reportHtml.ts";
import { combinationQos, type TuningQos } from "./TuningQos.ts";
import { withKnobAxes, type TuningKnob } from "./withKnobAxes.ts";

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
  /** Link of a QoS point in report.html, by its hash (e.g. to the replay of its runs); none when it returns undefined. */
  pointLink?: (hash: string) => string | undefined;
  outDir?: string;
  /** At most this many QoS runs on uncertain combinations. @default Infinity */
  maxQosRuns?: number;
  /** Timed batch-1 runs per latency measurement (median kept). @default 20 */
  latencyRuns?: number;
  /** Relative slack for "no accuracy loss" in the application-agnostic choice. @default 0 */
  agnosticTolerance?: number;
  onProgress?: (progress: OptimizeProgress) => void;
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
  approximators: ApproximatorsInput,
  calibrated: Constraints,
  nns: readonly ModelRunner[],
  dataset: LabeledDataset,
  qos: TuningQos,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  check(nns.length > 0, "optimize", () => "needs at least one NN");
  const approxFor = approximatorsByNn(approximators, nns);
  check(
    new Set(nns.map((n) => n.name)).size === nns.length,
    "optimize",
    () => `NN names must be distinct: ${nns.map((n) => n.name).join(", ")}`,
  );
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
  const timed = async <T>(phase: keyof PhaseTimings, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings[phase] = (performance.now() - t0) / 1000;
    }
  };

  // 1–2. Candidates and their cheap measurements.
  const candidates = await timed("measureSeconds", () =>
    measureCandidates(nns, approxFor, metrics, dataset, {
      candidateDir,
      latencyRuns: options.latencyRuns,
      onProgress: (done, total, message) => progress({ phase: "measure", done, total, message }),
    }),
  );

  // 3. Guided search: QoS only where the constraints cannot decide.
  const combinations = enumerateCombinations(candidates, knobs, constraints, objective);
  const run = combinationQos(qos);
  const search = await timed("searchSeconds", () => {
    let steps = 0;
    let qosRuns = 0;
    return guidedSearch(combinations, constraints, {
      evaluate: (c) => run(c, seeds),
      verify: (c) => run(c, verifySeeds),
      maxQosRuns: options.maxQosRuns,
      onStep: (step: GuidedStep) => {
        steps++;
        if (step.qos) qosRuns++;
        progress({ phase: "search", done: steps, total: combinations.length, qosRuns, message: describeStep(step, objective) });
      },
    });
  });

  // 4. Application-agnostic baseline.
  const originalKnobs: Record<string, number> = {};
  for (const k of knobs) originalKnobs[k.name] = k.values[0];
  const find = (picked: readonly Candidate[]) =>
    combinations.find((c) => c.candidates.every((x, i) => x === picked[i]) && knobs.every((k) => c.knobs[k.name] === originalKnobs[k.name]))!;
  const original = find(candidates.map((l) => l[0]));
  const agnosticCombination = find(agnosticChoice(candidates, constraints.axes, options.agnosticTolerance ?? 0));
  const agnosticQos = await timed("agnosticSeconds", async () => {
    progress({ phase: "agnostic", done: 0, total: 1, message: "application-agnostic choice" });
    const outcome = await run(agnosticCombination, verifySeeds);
    progress({ phase: "agnostic", done: 1, total: 1, message: `application-agnostic choice ${outcome.pass ? "passes" : "fails"}` });
    return outcome;
  });

  // 5. Outputs: the chosen models, report.json and report.html.
  const files = await timed("writeSeconds", () => copyChosen(search.chosen, outDir));
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
  await writeFileAtomic(reportHtmlPath, reportHtml(report, constraints, options.pointLink));
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

/** Copies the chosen candidates to `<outDir>/<nn>.onnx`; their paths by NN name. */
async function copyChosen(chosen: Combination | undefined, outDir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const c of chosen?.candidates ?? []) {
    files[c.nn] = join(outDir, `${safeFileName(c.nn)}.onnx`);
    await writeFileAtomic(files[c.nn], await readFile(c.file!));
  }
  return files;
}

function seedList(seeds: number | number[], where: string): number[] {
  const list = typeof seeds === "number" ? Array.from({ length: seeds }, (_, k) => k) : seeds.slice();
  check(list.length > 0 && list.every(Number.isInteger), where, () => "must be a positive count or a non-empty list of integers");
  return list;
}

function describeStep(step: GuidedStep, objective: Objective): string {
  const c = step.combination;
  const what = c.candidates.map((x) => `${x.nn}:${x.approximator}${x.level > 0 ? `-${x.level}` : ""}`).join(" ");
  const knobs = Object.entries(c.knobs)
    .map(([k, v]) => ` ${k}=${v}`)
    .join("");
  const outcome = step.qos ? `QoS ${step.qos.pass ? "pass" : "fail"}` : step.classification;
  return `${what}${knobs} (${objective.describe(c.score)}): ${outcome}${step.verification ? `, verification ${step.verification.pass ? "pass" : "fail"}` : ""}`;
}
