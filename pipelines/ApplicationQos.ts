import { check, InputError, stableHash } from "../common/index.ts";
import type { PipelineName, RunConfigInput } from "./RunConfig.ts";
import type { LaneMaskErrorInput, RegressionError } from "./perception/PerceptionConfig.ts";
import { QosEvaluator, type QosEvaluation } from "./qos/QosEvaluator.ts";
import type { QosGoal } from "./qos/QosGoal.ts";

/**
 * Error injected into one NN's output, as the optimizer's error families
 * describe it (structurally the optimizer's `NnInjection`; pipelines do not
 * import the optimizer). Gaussian: output k gets `bias[k] + std[k]·z`.
 * Lane mask: the error model's parameters (structured terms absent = 0).
 */
export type NnErrorInjection =
  | { kind: "gaussian"; bias: number[]; std: number[] }
  | {
      kind: "lane-mask";
      dropRate: number;
      falsePositiveRate: number;
      shiftPx: number;
      shiftStdPx: number;
      lossRate?: number;
      farDropRate?: number;
      dilatePx?: number;
      blobsPerFrame?: number;
      blobRadiusPx?: number;
    };

/** Options of {@link ApplicationQos}. */
export interface ApplicationQosOptions {
  pipeline: PipelineName;
  /** World preset name or path. @default cropfield-straight (cropfollow), gem-track (gem) */
  world?: string;
  /** The QoS goal. @default { collisions: 0 } */
  target?: QosGoal;
  /** Further run settings (fps, speed, latency, …) shared by every evaluation. */
  run?: Omit<RunConfigInput, "pipeline" | "world" | "perception">;
  /**
   * Which NN fills which perception slot. @default { heading: "heading",
   * distance: "distance" } for cropfollow, { lane: "lanenet" } for gem
   */
  nns?: { heading?: string; distance?: string; lane?: string };
  /** Worker threads for the seeds. @default 2 */
  workers?: number;
  /** JSONL file persisting simulator runs across processes (see {@link QosEvaluator}). */
  cacheFile?: string;
}

/** Outcome of one evaluation, in the optimizer's `QosOutcome` shape. */
export interface ApplicationQosOutcome {
  pass: boolean;
  /** Set when a rate goal's test was still undecided when its seeds ran out (see `QosEvaluation.verdict`). */
  uncertain?: boolean;
  hash: string;
  detail: {
    verdict: QosEvaluation["verdict"];
    /** Runs the verdict rests on, and one-sided Clopper–Pearson bounds on the rate of passing runs. */
    runs: number;
    rateLower: number;
    rateUpper: number;
    collisions: number;
    passedSeeds: number;
    perSeed: { seed: number; collisions: number; completed: boolean; distanceMeters: number; crossTrackRms: number }[];
  };
}

/**
 * The application as the optimizer sees it: a closed-loop pipeline on a world
 * with a QoS goal. `evaluate` runs it with injected perception errors (error
 * calibration); `evaluateModels` runs it with real ONNX models in the loop
 * (guided tuning). Both go through one {@link QosEvaluator}, so seeds run on
 * its worker pool and repeated configurations come from its cache.
 *
 * @example
 * const qos = new ApplicationQos({ pipeline: "cropfollow", target: { collisions: 0 } });
 * await qos.evaluate({ heading: { kind: "gaussian", bias: [0], std: [0.05] } }, { seeds: [1, 2, 3] });
 */
export class ApplicationQos {
  readonly pipeline: PipelineName;
  readonly world: string;
  readonly target: QosGoal;
  /** Identity of (pipeline, world, goal, run settings): cache keys of callers mix it in. */
  readonly id: string;
  private readonly run: Omit<RunConfigInput, "pipeline" | "world" | "perception">;
  private readonly slots: { heading: string; distance: string; lane: string };
  private readonly evaluator: QosEvaluator;

  constructor(options: ApplicationQosOptions) {
    this.pipeline = options.pipeline;
    this.world = options.world ?? (options.pipeline === "cropfollow" ? "cropfield-straight" : "gem-track");
    this.target = options.target ?? { collisions: 0 };
    this.run = options.run ?? {};
    this.slots = { heading: "heading", distance: "distance", lane: "lanenet", ...options.nns };
    this.evaluator = new QosEvaluator({ workers: options.workers ?? 2, cacheFile: options.cacheFile });
    this.id = stableHash({ kind: "application-qos/v1", pipeline: this.pipeline, world: this.world, target: this.target, run: this.run });
  }

  /** Closed loop with oracle perception plus the injected errors, keyed by NN name; NNs not named get none. */
  async evaluate(injection: Readonly<Record<string, NnErrorInjection>>, options: { seeds: number[]; knobs?: Record<string, number> }): Promise<ApplicationQosOutcome> {
    for (const name of Object.keys(injection)) {
      check(this.nnNames().includes(name), `injection.${name}`, () =>
        `unknown NN; this ${this.pipeline} application has ${this.nnNames().join(", ")}`,
      );
    }
    const perception =
      this.pipeline === "cropfollow"
        ? { kind: "injected" as const, heading: this.regression(injection, "heading"), distance: this.regression(injection, "distance") }
        : { kind: "injected" as const, lane: this.laneError(injection) };
    return this.outcome(await this.evaluator.evaluate(this.config(perception, options.knobs), this.target, options.seeds));
  }

  /**
   * Closed loop with real ONNX models in the loop, by NN name → model path.
   * CropFollow needs `heading` and `distance`; GEM needs `lane`.
   */
  async evaluateModels(models: Readonly<Record<string, string>>, options: { seeds: number[]; knobs?: Record<string, number> }): Promise<ApplicationQosOutcome> {
    const pick = (slot: "heading" | "distance" | "lane") => {
      const path = models[this.slots[slot]];
      if (path === undefined) throw new InputError(`models.${this.slots[slot]}`, `missing; this ${this.pipeline} application needs ${this.nnNames().join(", ")}`);
      return path;
    };
    const perception =
      this.pipeline === "cropfollow"
        ? { kind: "onnx" as const, model: pick("heading"), distanceModel: pick("distance") }
        : { kind: "onnx" as const, model: pick("lane") };
    return this.outcome(await this.evaluator.evaluate(this.config(perception, options.knobs), this.target, options.seeds));
  }

  /** NN names this application's perception has. */
  nnNames(): string[] {
    return this.pipeline === "cropfollow" ? [this.slots.heading, this.slots.distance] : [this.slots.lane];
  }

  /** Stops the worker pool. */
  close(): Promise<void> {
    return this.evaluator.close();
  }

  private config(perception: unknown, knobs: Record<string, number> | undefined): RunConfigInput {
    const fps = knobs?.fps;
    return { ...this.run, ...(fps !== undefined ? { fps } : {}), pipeline: this.pipeline, world: this.world, perception } as RunConfigInput;
  }

  private regression(injection: Readonly<Record<string, NnErrorInjection>>, slot: "heading" | "distance"): RegressionError {
    const inj = injection[this.slots[slot]];
    if (inj === undefined) return { bias: 0, std: 0 };
    check(inj.kind === "gaussian", `injection.${this.slots[slot]}`, () => `expected a gaussian error for a regression NN, got ${inj.kind}`);
    return { bias: inj.bias[0] ?? 0, std: Math.max(0, inj.std[0] ?? 0) };
  }

  private laneError(injection: Readonly<Record<string, NnErrorInjection>>): LaneMaskErrorInput {
    const inj = injection[this.slots.lane];
    if (inj === undefined) return { dropRate: 0, falsePositiveRate: 0, shiftPx: 0, shiftStdPx: 0 };
    check(inj.kind === "lane-mask", `injection.${this.slots.lane}`, () => `expected a lane-mask error, got ${inj.kind}`);
    const clamp = (x: number, hi: number) => Math.min(hi, Math.max(0, x));
    return {
      dropRate: clamp(inj.dropRate, 1),
      falsePositiveRate: clamp(inj.falsePositiveRate, 0.5),
      shiftPx: inj.shiftPx,
      shiftStdPx: Math.max(0, inj.shiftStdPx),
      lossRate: clamp(inj.lossRate ?? 0, 1),
      farDropRate: clamp(inj.farDropRate ?? 0, 1),
      dilatePx: clamp(inj.dilatePx ?? 0, 16),
      blobsPerFrame: clamp(inj.blobsPerFrame ?? 0, 50),
      blobRadiusPx: clamp(inj.blobRadiusPx ?? 0, 64),
    };
  }

  private outcome(e: QosEvaluation): ApplicationQosOutcome {
    return {
      pass: e.pass,
      ...(e.verdict === "uncertain" ? { uncertain: true } : {}),
      hash: e.hash,
      detail: {
        verdict: e.verdict,
        runs: e.runs,
        rateLower: e.rateLower,
        rateUpper: e.rateUpper,
        collisions: e.collisions,
        passedSeeds: e.passedSeeds,
        perSeed: e.perSeed.map((s) => ({
          seed: s.seed,
          collisions: s.collisions,
          completed: s.completed,
          distanceMeters: s.distanceMeters,
          crossTrackRms: s.crossTrackRms,
        })),
      },
    };
  }
}

/** CropFollow on TerraSentia as a QoS oracle (see {@link ApplicationQos}). */
export class CropFollowQoS extends ApplicationQos {
  constructor(options: Omit<ApplicationQosOptions, "pipeline"> = {}) {
    super({ ...options, pipeline: "cropfollow" });
  }
}

/** The GEM e2 lane-keeping loop as a QoS oracle (see {@link ApplicationQos}). */
export class GemQoS extends ApplicationQos {
  constructor(options: Omit<ApplicationQosOptions, "pipeline"> = {}) {
    super({ ...options, pipeline: "gem" });
  }
}
