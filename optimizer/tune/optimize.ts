import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { check, writeFileAtomic } from "../../common/index.ts";
import type { Classification, Constraints } from "../calibrate/Constraints.ts";
import type { QosOutcome } from "../calibrate/QosOracle.ts";
import type { ErrorMetric } from "../metrics/ErrorMetric.ts";
import type { LabeledDataset } from "../metrics/LabeledDataset.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";
import { agnosticChoice, referenceOf, type AgnosticOptions } from "./agnosticChoice.ts";
import { approximatorsByNn, type ApproximatorsInput } from "./approximatorsByNn.ts";
import type { Candidate, Combination, WorldEquivalence } from "./Candidate.ts";
import { compare, type Comparison } from "./compare.ts";
import { defaultMetrics } from "./defaultMetrics.ts";
import { enumerateCombinations } from "./enumerateCombinations.ts";
import { guidedSearch, type CombinationEvaluator, type GuidedSearchResult, type GuidedStep } from "./guidedSearch.ts";
import { loopFidelity } from "./loopFidelity.ts";
import { measureCandidates, safeFileName, type Backbone } from "./measureCandidates.ts";
import { minFps, type Objective } from "./Objective.ts";
import { buildReport, candidateId, type OptimizeReport, type PhaseTimings } from "./report.ts";
import { reportHtml } from "./reportHtml.ts";
import { planSeeds } from "./seedPlan.ts";
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
  /** What to optimize over valid combinations. @default minFps (CropFollow) */
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
  /**
   * Several candidate models per NN, by NN name (architecture as a tuning
   * dimension): that NN's candidates are every backbone's original and
   * levels. @default each NN's own model
   */
  backbones?: Readonly<Record<string, readonly Backbone[]>>;
  /**
   * Seeds the constraints were calibrated on: recorded in the report, and
   * tuning and verification seeds must avoid them (see `planSeeds`). @default unknown (not checked)
   */
  calibrationSeeds?: number[];
  /** Tuning seeds of the guided search's QoS runs: a count K (the K seeds after the calibration seeds) or the list. @default 3 */
  seeds?: number | number[];
  /**
   * Fresh seeds verifying the choice (and evaluating the application-agnostic
   * baselines), disjoint from the calibration and tuning seeds. @default as many as `seeds`, numbered after them
   */
  verifySeeds?: number | number[];
  /**
   * How a chosen combination (and each agnostic baseline) is verified, e.g.
   * also on worlds never used in calibration or tuning. @default QoS on `verifySeeds`
   */
  verify?: CombinationEvaluator;
  /** What each seed set ran on (world preset or scenario distribution), for the report. */
  worlds?: { calibration?: string; tuning?: string; verification?: string };
  /** Link of a QoS point in report.html, by its hash (e.g. to the replay of its runs); none when it returns undefined. */
  pointLink?: (hash: string) => string | undefined;
  /** Where candidates, the chosen models and the reports go. @default "optimized" */
  outDir?: string;
  /** At most this many QoS runs on uncertain combinations. @default Infinity */
  maxQosRuns?: number;
  /** Whether the guided search feeds real-model failures back (`guidedSearch`'s `failureFeedback`). @default true */
  failureFeedback?: boolean;
  /** Timed batch-1 runs per latency measurement (median kept). @default 20 */
  latencyRuns?: number;
  /**
   * With a calibration whose families have world spreads: place each candidate by its world-equivalent
   * level (`Candidate.budget`) instead of its pooled metric. @default none
   */
  worldEquivalence?: WorldEquivalence;
  /**
   * The application-agnostic baseline (see {@link agnosticChoice}): the
   * reference backbone, the tolerance, and further tolerances (`variants`,
   * e.g. `[0.01, 0.02]`) a practitioner might allow, each chosen and verified
   * the same way. The reference backbone's unpruned models are also the
   * "original" the report compares against. @default first backbone, tolerance 0, no variants
   */
  agnostic?: AgnosticOptions & { variants?: number[] };
  onProgress?: (progress: OptimizeProgress) => void;
}

/** The application-agnostic choice at one tolerance, and its verification. */
export interface AgnosticVariant {
  tolerance: number;
  combination: Combination;
  qos: QosOutcome;
}

/** Result of {@link optimize}. */
export interface OptimizeResult {
  /** The best valid combination that passed verification on fresh seeds; undefined when none did. */
  chosen?: Combination;
  chosenVerification?: QosOutcome;
  /** Chosen optimized ONNX files by NN name (written to `outDir`). */
  files: Record<string, string>;
  /** The unapproximated NNs (the agnostic reference backbone's) at the knobs' original values. */
  original: Combination;
  /** What "keep the accuracy" tools pick, and its QoS on the verification seeds. */
  agnostic: { combination: Combination; qos: QosOutcome };
  /** The agnostic choice at each tolerance (`agnostic.tolerance` first, then its `variants`), each verified. */
  agnosticVariants: AgnosticVariant[];
  chosenVsOriginal?: Comparison;
  chosenVsAgnostic?: Comparison;
  /**
   * The constraints after the search's feedback: the `constraints` argument
   * itself (updated in place), or a copy extended by knob axes it lacked.
   */
  constraints: Constraints;
  /** Candidates per NN, in `nns` order; index 0 is the original (of the first backbone). */
  candidates: Candidate[][];
  combinations: Combination[];
  /** Class of each combination (by id) under the constraints as calibrated, before the search fed real outcomes back. */
  calibrated: Classification[];
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
 * 4. the application-agnostic baseline ({@link agnosticChoice}) at each
 *    tolerance, each verified like the choice;
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
  const objective = options.objective ?? minFps;
  const knobs = options.knobs ?? [];
  const constraints = withKnobAxes(calibrated, knobs);
  const metrics = options.metrics ?? defaultMetrics(constraints, nns);
  const seedSets = planSeeds(
    { calibration: options.calibrationSeeds, tuning: options.seeds ?? 3, verification: options.verifySeeds },
    undefined,
    { calibration: "calibrationSeeds", tuning: "seeds", verification: "verifySeeds" },
  );
  const seeds = seedSets.tuning;
  const verifySeeds = seedSets.verification;
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
      backbones: options.backbones,
      worldEquivalence: options.worldEquivalence,
      onProgress: (done, total, message) => progress({ phase: "measure", done, total, message }),
    }),
  );

  // 3. Guided search: QoS only where the constraints cannot decide.
  const combinations = enumerateCombinations(candidates, knobs, constraints, objective);
  // The calibration's verdicts before the search feeds real outcomes back: what the fidelity compares.
  const calibratedClass = combinations.map((c) => constraints.classify(c.point));
  const run = combinationQos(qos);
  const verify = options.verify ?? ((c: Combination) => run(c, verifySeeds));
  const search = await timed("searchSeconds", () => {
    let steps = 0;
    let qosRuns = 0;
    return guidedSearch(combinations, constraints, {
      evaluate: (c) => run(c, seeds),
      verify,
      maxQosRuns: options.maxQosRuns,
      failureFeedback: options.failureFeedback,
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
  const agnosticOptions = options.agnostic ?? {};
  const original = find(candidates.map((l) => referenceOf(l, agnosticOptions.reference)));
  const tolerances = [...new Set([agnosticOptions.tolerance ?? 0, ...(agnosticOptions.variants ?? [])])];
  const agnosticVariants = await timed("agnosticSeconds", async () => {
    const out: AgnosticVariant[] = [];
    for (const [i, tolerance] of tolerances.entries()) {
      const combination = find(agnosticChoice(candidates, constraints.axes, { reference: agnosticOptions.reference, tolerance }));
      const label = `application-agnostic choice (tolerance ${+(tolerance * 100).toPrecision(3)} %)`;
      progress({ phase: "agnostic", done: i, total: tolerances.length, message: label });
      const outcome = await verify(combination);
      out.push({ tolerance, combination, qos: outcome });
      progress({ phase: "agnostic", done: i + 1, total: tolerances.length, message: `${label} ${outcome.pass ? "passes" : "fails"}` });
    }
    return out;
  });
  const agnosticCombination = agnosticVariants[0].combination;
  const agnosticQos = agnosticVariants[0].qos;
  const fidelityRuns = [
    ...search.steps.flatMap((st) => [
      ...(st.qos ? [{ combination: st.combination.id, role: "search", predicted: calibratedClass[st.combination.id], outcome: st.qos }] : []),
      ...(st.verification
        ? [{ combination: st.combination.id, role: "verification", predicted: calibratedClass[st.combination.id], outcome: st.verification }]
        : []),
    ]),
    ...agnosticVariants
      .filter((v, i) => agnosticVariants.findIndex((w) => w.combination.id === v.combination.id) === i)
      .map((v) => ({ combination: v.combination.id, role: "agnostic", predicted: calibratedClass[v.combination.id], outcome: v.qos })),
  ];

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
    calibrationSeeds: options.calibrationSeeds,
    worlds: options.worlds,
    candidates,
    combinations,
    search,
    original,
    agnostic: { combination: agnosticCombination, qos: agnosticQos },
    agnosticSettings: { reference: agnosticOptions.reference, tolerance: tolerances[0] },
    agnosticVariants,
    fidelity: loopFidelity(fidelityRuns),
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
    agnosticVariants,
    chosenVsOriginal,
    chosenVsAgnostic,
    candidates,
    combinations,
    calibrated: calibratedClass,
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

function describeStep(step: GuidedStep, objective: Objective): string {
  const c = step.combination;
  const what = c.candidates.map(candidateId).join(" ");
  const knobs = Object.entries(c.knobs)
    .map(([k, v]) => ` ${k}=${v}`)
    .join("");
  const outcome = step.qos ? `QoS ${step.qos.pass ? "pass" : "fail"}` : step.classification;
  return `${what}${knobs} (${objective.describe(c.score)}): ${outcome}${step.verification ? `, verification ${step.verification.pass ? "pass" : "fail"}` : ""}`;
}
