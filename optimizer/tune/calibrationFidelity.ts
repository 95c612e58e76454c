import { check } from "../../common/index.ts";
import type { Classification, Constraints } from "../calibrate/Constraints.ts";
import { outcomeRuns, type QosOracle, type QosOutcome } from "../calibrate/QosOracle.ts";
import type { ErrorDistribution } from "../errors/ErrorDistribution.ts";
import type { Candidate } from "./Candidate.ts";
import { pointOf } from "./enumerateCombinations.ts";
import { fidelityConfusion, predictedVerdict, type FidelityConfusion, type Verdict } from "./fidelityConfusion.ts";
import type { TuningQos } from "./TuningQos.ts";

/** One NN's model in a judged combination. */
export interface FidelityPick {
  nn: string;
  /** The model's backbone, when its NN has several. */
  backbone?: string;
  approximator: string;
  level: number;
}

/**
 * One approximated model (or one combination of models, with `combination`),
 * judged three ways; its own fields name the approximated model (of a
 * combination, the first NN's model that is not its original).
 */
export interface FidelityPoint extends FidelityPick {
  /** Every NN's model, when the point is one of `options.combinations`. */
  combination?: FidelityPick[];
  /** Its budget point: the judged models' measured metrics and the knob values. */
  point: number[];
  /** What the calibration's constraints say of that point without running anything. */
  classified: Classification;
  /** The calibration's prediction: `classified`, or the injected verdict where the constraints are uncertain. */
  predicted: Verdict;
  /**
   * The closed loop with injected errors at that point (the error family at the model's metric); absent where
   * it was not run (`injectedEverywhere: false` and a point the constraints classify).
   */
  injected?: Verdict;
  /** The closed loop with the real model. */
  real: Verdict;
  /** The runs behind the injected verdict and how many met the goal, when the oracle reports them. */
  injectedRuns?: { runs: number; passedRuns: number };
  /** The runs behind the real verdict and how many met the goal (a real fail at 159 of 172 is not one at 3 of 10). */
  realRuns?: { runs: number; passedRuns: number };
}

/** How well the calibration predicts what the real networks do. */
export interface FidelityReport {
  points: FidelityPoint[];
  /** Share of points whose prediction equals the real verdict (an uncertain verdict on either side counts as a disagreement). */
  agreement: number;
  /** Share of the points with an injected verdict whose injected verdict equals the real one; absent when none has one. */
  injectedAgreement?: number;
  /** Share of points the constraints classify without a run. */
  classifiedShare: number;
  /** Counts by (prediction, real verdict). */
  confusion: FidelityConfusion;
}

/** Options of {@link calibrationFidelity}. */
export interface CalibrationFidelityOptions {
  /** Seeds of every QoS evaluation (fresh ones, never used in calibration or tuning, for an honest measure). */
  seeds: number[];
  /** Knob values of every point (e.g. `{ fps: 20 }`), when the application has knobs. */
  knobs?: Record<string, number>;
  /**
   * Combinations to judge instead of one approximated NN at a time: each one
   * candidate per NN, in `candidates`' NN order (e.g. both CropFollow networks
   * at the same deep level, where errors of two networks meet in one loop).
   * @default every approximated candidate with the other NNs at their originals
   */
  combinations?: readonly (readonly Candidate[])[];
  /**
   * Whether to run the closed loop with injected errors at every point, or only where the constraints are
   * uncertain (where it is the prediction): comparing a calibration against real verdicts already in a QoS
   * cache then runs nothing else. @default true
   */
  injectedEverywhere?: boolean;
  /** Called after each point. */
  onPoint?: (point: FidelityPoint, done: number, total: number) => void;
}

/** A verdict with the runs behind it, for reports: `fail 159/172` (runs met the goal / runs), the bare verdict, or `not run`. */
export function describeVerdict(verdict: Verdict | undefined, runs?: { runs: number; passedRuns: number }): string {
  if (verdict === undefined) return "not run";
  return runs ? `${verdict} ${runs.passedRuns}/${runs.runs}` : verdict;
}

/**
 * The model combinations {@link calibrationFidelity} judges: `combinations` when given, else every approximated
 * candidate of every NN with the other NNs at their originals (index 0 of each list), in NN and candidate order.
 */
export function fidelityCombinations(
  candidates: readonly (readonly Candidate[])[],
  combinations?: readonly (readonly Candidate[])[],
): (readonly Candidate[])[] {
  if (combinations) return [...combinations];
  const originals = candidates.map((list) => list[0]);
  return candidates.flatMap((list, i) => list.slice(1).map((c) => originals.map((o, j) => (j === i ? c : o))));
}

const verdictOf = (o: QosOutcome): Verdict => (o.uncertain ? "uncertain" : o.pass ? "pass" : "fail");

/**
 * Measures the method's key assumption: that injected errors at a metric
 * level predict the real network's QoS at that level. For every approximated
 * candidate of every NN (the other NNs kept original), or for every given
 * combination, it compares three verdicts at the models' measured metrics: the calibration's
 * (`constraints` as calibrated, before guided tuning fed real outcomes back
 * into them), the closed loop with injected errors from `errors`, and the
 * closed loop with the real model.
 *
 * @param candidates per NN, index 0 the original (as `optimize` returns them, files written).
 */
export async function calibrationFidelity(
  candidates: readonly (readonly Candidate[])[],
  constraints: Constraints,
  errors: ErrorDistribution,
  qos: QosOracle & TuningQos,
  options: CalibrationFidelityOptions,
): Promise<FidelityReport> {
  check(options.seeds.length > 0, "fidelity seeds", () => "expected at least one seed");
  const originals = candidates.map((list) => list[0]);
  for (const c of originals) check(c.file !== undefined, `candidate ${c.nn} original`, () => "has no written model file");
  const knobs = options.knobs ?? {};
  options.combinations?.forEach((combination, k) => {
    check(
      combination.length === originals.length,
      `combinations[${k}]`,
      () => `has ${combination.length} models, expected one per NN (${originals.length})`,
    );
    combination.forEach((c, i) => {
      check(c.nn === originals[i].nn, `combinations[${k}][${i}]`, () => `is a model of ${c.nn}, expected one of ${originals[i].nn}`);
      check(c.file !== undefined, `combinations[${k}][${i}]`, () => "has no written model file");
    });
  });
  const todo = fidelityCombinations(candidates, options.combinations);
  const pickOf = (c: Candidate): FidelityPick => ({
    nn: c.nn,
    ...(c.backbone !== undefined ? { backbone: c.backbone } : {}),
    approximator: c.approximator,
    level: c.level,
  });
  const points: FidelityPoint[] = [];
  for (const picked of todo) {
    const c = picked.find((p, i) => p !== originals[i]) ?? picked[0];
    const point = pointOf(picked, knobs, constraints);
    const levels: Record<string, number> = {};
    constraints.axes.forEach((axis, k) => {
      const nn = picked.find((p) => axis.name in p.metrics)?.nn;
      if (nn !== undefined && errors.nns.includes(nn)) levels[nn] = point[k];
    });
    const models: Record<string, string> = {};
    for (const p of picked) models[p.nn] = p.file!;
    const classified = constraints.classify(point);
    const runInjected = (options.injectedEverywhere ?? true) || classified === "uncertain";
    const [injected, real] = await Promise.all([
      runInjected ? qos.evaluate(errors.injectionAt(levels), { seeds: options.seeds, knobs }) : undefined,
      qos.evaluateModels(models, { seeds: options.seeds, knobs }),
    ]);
    const fp: FidelityPoint = {
      ...pickOf(c),
      ...(options.combinations ? { combination: picked.map(pickOf) } : {}),
      point,
      classified,
      predicted: classified === "uncertain" ? verdictOf(injected!) : predictedVerdict(classified),
      ...(injected && { injected: verdictOf(injected) }),
      real: verdictOf(real),
    };
    const injectedRuns = injected && outcomeRuns(injected);
    const realRuns = outcomeRuns(real);
    if (injectedRuns) fp.injectedRuns = injectedRuns;
    if (realRuns) fp.realRuns = realRuns;
    points.push(fp);
    options.onPoint?.(fp, points.length, todo.length);
  }
  const n = points.length;
  const count = (f: (p: FidelityPoint) => boolean) => points.filter(f).length;
  const injectedN = count((p) => p.injected !== undefined);
  return {
    points,
    agreement: n > 0 ? count((p) => p.predicted !== "uncertain" && p.predicted === p.real) / n : 1,
    ...(injectedN > 0 && {
      injectedAgreement: count((p) => p.injected !== undefined && p.injected !== "uncertain" && p.injected === p.real) / injectedN,
    }),
    classifiedShare: n > 0 ? count((p) => p.classified !== "uncertain") / n : 1,
    confusion: fidelityConfusion(points),
  };
}
