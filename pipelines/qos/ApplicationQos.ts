import { check, InputError, stableHash } from "../../common/index.ts";
import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import { getApplication } from "../application/applicationRegistry.ts";
import { checkApplicationWorld } from "../application/checkApplicationWorld.ts";
import { parsePerceptionConfig, type PerceptionConfigInput } from "../perception/PerceptionConfig.ts";
import type { RunConfigInput } from "../RunConfig.ts";
import type { ErrorSequences, NnInjection } from "../../optimizer/index.ts";
import type { QosBackend } from "./QosBackend.ts";
import { QosEvaluator, type QosEvaluation } from "./QosEvaluator.ts";
import type { QosGoal } from "./QosGoal.ts";
import { recordEvaluation } from "../recording/recordEvaluation.ts";
import type { RecordMode } from "../recording/RecordMode.ts";

/** Options of {@link ApplicationQos}. */
export interface ApplicationQosOptions {
  /** The application: a registered name (`cropfollow`, `gem`, …) or its spec. */
  pipeline: string | ApplicationSpec;
  /** World preset name or path. @default the application's (cropfield-straight, gem-track) */
  world?: string;
  /** The QoS goal. @default the application's ({ collisions: 0 }) */
  target?: QosGoal;
  /** Further run settings (fps, speed, latency, …) shared by every evaluation. */
  run?: Omit<RunConfigInput, "pipeline" | "world" | "perception">;
  /**
   * Perception settings added to every injected-error run's perception (the spec's `injectedPerception`),
   * validated with it: how the true outputs the errors are applied to are made, e.g. for the GEM
   * `{ laneMask: "rendered", maskPool: 4 }` with `run.maskSize` the LaneNet's output size. @default none
   */
  injected?: Readonly<Record<string, unknown>>;
  /**
   * Your names for the application's NNs, by the spec's network name, e.g. `{ lanenet: "lane" }`.
   * @default the spec's names (cropfollow: heading, distance; gem: lanenet)
   */
  nns?: Readonly<Record<string, string>>;
  /** Worker threads for the seeds. Ignored when `backend` is given. @default 2 */
  workers?: number;
  /** Where the runs happen (see {@link QosEvaluator}). @default worker threads */
  backend?: QosBackend;
  /** JSONL file persisting simulator runs across processes (see {@link QosEvaluator}). */
  cacheFile?: string;
  /**
   * Replays of the runs behind each verdict (see `recordEvaluation`): `mode` picks the runs, `dir` is the
   * replays folder (`<dir>/<evaluation hash>/seed-<n>/`). @default none
   */
  record?: { mode: RecordMode; dir: string };
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
  /** The application's spec. */
  readonly spec: ApplicationSpec;
  /** The application's name. */
  readonly pipeline: string;
  readonly world: string;
  readonly target: QosGoal;
  /** Identity of (pipeline, world, goal, run settings): cache keys of callers mix it in. */
  readonly id: string;
  private readonly run: Omit<RunConfigInput, "pipeline" | "world" | "perception">;
  private readonly injected: Readonly<Record<string, unknown>>;
  /** The spec's network name of each of your NN names. */
  private readonly specName = new Map<string, string>();
  private readonly evaluator: QosEvaluator;
  private readonly record: { mode: RecordMode; dir: string } | undefined;

  constructor(options: ApplicationQosOptions) {
    this.spec = typeof options.pipeline === "string" ? getApplication(options.pipeline, "pipeline") : options.pipeline;
    this.pipeline = this.spec.name;
    this.world = options.world ?? this.spec.world.default;
    checkApplicationWorld(this.spec, this.world, "world");
    this.target = options.target ?? this.spec.goal;
    this.run = options.run ?? {};
    this.injected = options.injected ?? {};
    const hasInjected = Object.keys(this.injected).length > 0;
    // Checked now, not at the first injected run minutes into a calibration.
    if (hasInjected) parsePerceptionConfig({ ...this.spec.injectedPerception({}), ...this.injected }, "injected");
    for (const n of this.spec.networks) this.specName.set(options.nns?.[n.name] ?? n.name, n.name);
    for (const name of Object.keys(options.nns ?? {})) {
      check(
        this.spec.networks.some((n) => n.name === name),
        `nns.${name}`,
        () => `not a network of ${this.pipeline} (${this.spec.networks.map((n) => n.name).join(", ")})`,
      );
    }
    this.record = options.record && options.record.mode !== "none" ? options.record : undefined;
    this.evaluator = new QosEvaluator({
      workers: options.workers ?? 2,
      backend: options.backend,
      cacheFile: options.cacheFile,
      recordings: this.record !== undefined,
    });
    // Without injected settings the id stays what it was before they existed (checkpoints keyed by it stay valid).
    this.id = stableHash({
      kind: "application-qos/v1",
      pipeline: this.pipeline,
      world: this.world,
      target: this.target,
      run: this.run,
      ...(hasInjected && { injected: this.injected }),
    });
  }

  /** Closed loop with oracle perception plus the injected errors, keyed by NN name; NNs not named get none. */
  async evaluate(
    injection: Readonly<Record<string, NnInjection>>,
    options: { seeds: number[]; knobs?: Record<string, number> },
  ): Promise<ApplicationQosOutcome> {
    const errors: Record<string, NnInjection> = {};
    for (const [name, inj] of Object.entries(injection)) {
      const network = this.network(name, `injection.${name}`);
      check(inj.kind === network.injection, `injection.${name}`, () => `expected a ${network.injection} error for ${name}, got ${inj.kind}`);
      errors[network.name] = inj;
    }
    return this.evaluateWith({ ...this.spec.injectedPerception(errors), ...this.injected } as PerceptionConfigInput, options);
  }

  /** Closed loop with real ONNX models in the loop, by NN name → model path; every NN of the application is needed. */
  async evaluateModels(
    models: Readonly<Record<string, string>>,
    options: { seeds: number[]; knobs?: Record<string, number> },
  ): Promise<ApplicationQosOutcome> {
    const files = this.modelFiles(models);
    return this.evaluateWith(this.spec.onnxPerception(files), options);
  }

  /**
   * The predictions of NN `nn` along closed-loop runs with real `models` (one ONNX file per NN, as for
   * {@link evaluateModels}), against the truth at capture, one run per seed, on the worker pool: the
   * material for the time correlation and the per-run offset of its errors (`findErrorDistribution`'s `sequences`). The first
   * second of each run (the start-up transient) is left out, and a run ends at its first collision: a robot
   * pinned against a row, its heading swinging while the network's output does not, is outside the regime
   * the errors are modelled for, and those frames would read as a lost signal and a long correlation.
   *
   * @throws InputError when the network declares no `perceptionField` (its output is not logged).
   */
  async errorSequences(models: Readonly<Record<string, string>>, nn: string, seeds: readonly number[]): Promise<ErrorSequences> {
    const network = this.network(nn, `errorSequences(${nn})`);
    const fields = this.spec.perceptionFields;
    const column = network.perceptionField === undefined || !fields ? -1 : fields.output.indexOf(network.perceptionField);
    if (column < 0)
      throw new InputError(`application ${this.pipeline}: networks.${network.name}.perceptionField`, "names no logged perception output");
    const truthColumn = 1 + fields!.output.length + fields!.truth.indexOf(network.perceptionField!);
    const files = this.modelFiles(models);
    const config = { ...this.run, pipeline: this.pipeline, world: this.world, perception: this.spec.onnxPerception(files) } as RunConfigInput;
    const fps = (this.run.fps as number | undefined) ?? this.spec.defaults.fps;
    const width = 1 + fields!.output.length + fields!.truth.length;
    const predictions: number[] = [];
    const labels: number[] = [];
    const runs: number[] = [];
    for (const v of await this.evaluator.recordPerception(config, seeds, 1)) {
      let frames = 0;
      for (let i = 0; i < v.length; i += width) {
        if (v[i] < 1) continue;
        predictions.push(v[i + 1 + column]);
        labels.push(v[i + truthColumn]);
        frames++;
      }
      if (frames > 0) runs.push(frames);
    }
    return { predictions: Float32Array.from(predictions), labels: Float32Array.from(labels), runs, frameInterval: 1 / fps };
  }

  /** NN names this application's perception has (yours, when renamed with `nns`), in the spec's order. */
  nnNames(): string[] {
    return [...this.specName.keys()];
  }

  /** One ONNX file per NN of the spec, from `models` keyed by NN name (yours, when renamed); every NN is needed. */
  private modelFiles(models: Readonly<Record<string, string>>): Record<string, string> {
    const files: Record<string, string> = {};
    for (const name of this.nnNames()) {
      const path = models[name];
      if (path === undefined)
        throw new InputError(`models.${name}`, `missing; this ${this.pipeline} application needs ${this.nnNames().join(", ")}`);
      files[this.specName.get(name)!] = path;
    }
    return files;
  }

  /** Stops the worker pool. */
  close(): Promise<void> {
    return this.evaluator.close();
  }

  private network(name: string, where: string) {
    const specName = this.specName.get(name);
    const network = this.spec.networks.find((n) => n.name === specName);
    if (!network) throw new InputError(where, `unknown NN; this ${this.pipeline} application has ${this.nnNames().join(", ")}`);
    return network;
  }

  private async evaluateWith(
    perception: PerceptionConfigInput,
    options: { seeds: number[]; knobs?: Record<string, number> },
  ): Promise<ApplicationQosOutcome> {
    const knobs: Record<string, number> = {};
    for (const [name, value] of Object.entries(options.knobs ?? {})) {
      check(
        this.spec.knobs.some((k) => k.name === name),
        `knobs.${name}`,
        () => `not a knob of ${this.pipeline} (${this.spec.knobs.map((k) => k.name).join(", ") || "none"})`,
      );
      knobs[name] = value;
    }
    const config = { ...this.run, ...knobs, pipeline: this.pipeline, world: this.world, perception } as RunConfigInput;
    return this.outcome(await this.evaluator.evaluate(config, this.target, options.seeds));
  }

  private outcome(e: QosEvaluation): ApplicationQosOutcome {
    if (this.record) recordEvaluation(this.record.dir, e, this.record.mode);
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
