import type { Observable } from "rxjs";
import type { RobotKind, Simulation } from "../../sim/index.ts";
import type { WorldKind, WorldOfKind } from "../../worlds/index.ts";
import type { PerceptionConfigInput } from "../perception/PerceptionConfig.ts";
import type { PerceptionSource } from "../perception/PerceptionSource.ts";
import type { QosGoal } from "../qos/QosGoal.ts";
import type { RunConfig } from "../RunConfig.ts";
import type { SimScheduler } from "../runtime/SimScheduler.ts";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";
import type { PerceptionFields, PerceptionLog } from "../runtime/PerceptionLog.ts";
import type { NnInjection } from "../../optimizer/index.ts";

/**
 * One neural network of an application: what it reads and writes, which
 * dataset labels it is judged against, how its error is injected and
 * measured. Names of metrics, error families and losses are keys of the
 * optimizer's name registries, so a spec is plain data a worker can load
 * without the optimizer.
 */
export interface NetworkSpec {
  /** NN name: the key of `models` in tuning configs, the prefix of metric axes (`heading.l1Error`), the optimized file's name. */
  readonly name: string;
  /** What the NN computes, for reports and errors. */
  readonly description: string;
  /**
   * One input image, NCHW: `channels` colour channels (RGB), normalised per channel. The height and width
   * are the model's own (the closed loop renders frames at the model's input size).
   */
  readonly input: { readonly channels: number };
  /**
   * One output: `vector` — `size` values per image (regression); `mask` — a per-pixel lane mask, one
   * logit channel or two class channels, at the input size or a whole fraction of it.
   */
  readonly output: { readonly kind: "vector"; readonly size: number } | { readonly kind: "mask"; readonly channels: readonly (1 | 2)[] };
  /** Dataset label column a `vector` NN is trained and measured on (labels.json `labels.names`); mask NNs use the masks. */
  readonly labelColumn?: string;
  /** Error family injected into its output during calibration (see {@link NnInjection}). */
  readonly injection: NnInjection["kind"];
  /**
   * Regression NNs: how measured error families model the error — `gaussian` (bias and spread) or
   * `structured` (plus the error's gain against the truth, heavy tails and time correlation; see the
   * optimizer's `REGRESSION_ERROR_MODELS`). A tuning config's `calibration.errorModel` overrides it.
   * @default "gaussian"
   */
  readonly errorModel?: "gaussian" | "structured";
  /**
   * Regression NNs with one output: the field of the application's `perceptionFields` this network's
   * output is, so its errors can be recorded along closed-loop runs (`ApplicationQos.errorSequences`).
   * @default none (no closed-loop error sequences)
   */
  readonly perceptionField?: string;
  /** Metric a tuning config uses when it names none (a `metricRegistry` name, e.g. `l1Error`, `iou@0`). */
  readonly metric: string;
  /**
   * Calibration without measured error families (`approxcaliper calibrate` without `--config`): the
   * closed-form error family standing in for the approximations — `gaussian` (zero-mean Gaussian output
   * error whose metric is the level) or `lane-drop` (lane pixels dropped at rate 1 − level, on masks of
   * `maskShape` [H, W]) — the metrics this NN may be searched by (short flag name → metric name; the
   * first is the default) and the searched [best, worst] range in metric units.
   */
  readonly closedForm:
    | {
        readonly family: "gaussian";
        readonly metrics: Readonly<Record<string, "l1Error" | "l2Error">>;
        readonly bounds: readonly [number, number];
      }
    | {
        readonly family: "lane-drop";
        readonly maskShape: readonly [number, number];
        readonly metrics: Readonly<Record<string, "recall" | "iou">>;
        readonly bounds: readonly [number, number];
      };
}

/** An application setting searched with the NNs (a knob), e.g. the perception rate. */
export interface KnobSpec {
  /** Knob name; also the run-configuration field it sets (`fps`). */
  readonly name: "fps";
  /** What it means and its unit. */
  readonly description: string;
  /** Which way the application gets no worse. */
  readonly direction: "higher-better" | "lower-better";
}

/** What an application's loop factory is given for one run. */
export interface LoopContext<K extends WorldKind = WorldKind, S extends PerceptionSource<unknown> = PerceptionSource<unknown>> {
  readonly sim: Simulation;
  /** The simulation's world, of the application's kind. */
  readonly world: WorldOfKind<K>;
  readonly scheduler: SimScheduler;
  /** The perception source, attached to `sim`. */
  readonly perception: S;
  /** Where the loop records one row per control step (`TRAJECTORY_FIELDS`). */
  readonly recorder: TrajectoryRecorder;
  /** The validated run configuration. */
  readonly config: RunConfig;
  /** Perception rate (Hz): the configuration's, else the application's default. */
  readonly fps: number;
  /** Cruise speed (m/s): the configuration's, else the application's default. */
  readonly speed: number;
  /** When the run is recorded: where the loop logs each perception frame (the spec's `perceptionFields`). */
  readonly perceptionLog?: PerceptionLog;
}

/**
 * Everything that makes one closed-loop application what it is — the only
 * place these facts live. The run pipeline, the QoS oracle, the tuning setup
 * and the CLI read it; a new application is one spec (and its loop and
 * perception code) plus one registry entry (see `registerApplication`).
 *
 * `K` is the world kind the application runs in, `S` its perception source.
 */
export interface ApplicationSpec<K extends WorldKind = WorldKind, S extends PerceptionSource<unknown> = PerceptionSource<unknown>> {
  /** Registry name: a run configuration's `pipeline`, the CLI's `--pipeline`. */
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly description: string;
  /**
   * URL of the module that defines the spec (`import.meta.url`). Worker threads and processes import it
   * to find an application that is not built in; the module must register the spec when imported, or
   * export it as its default export.
   */
  readonly module: string;
  /** The world kind it runs in and the preset used when none is given. */
  readonly world: { readonly kind: K; readonly default: string };
  /** The robot it drives. */
  readonly robot: RobotKind;
  /** What a replay records per perception frame (outputs and truth); none when absent. */
  readonly perceptionFields?: PerceptionFields;
  /** Perception rate (Hz) and cruise speed (m/s) when the run configuration gives none. */
  readonly defaults: { readonly fps: number; readonly speed: number };
  /** Its NNs, in the order the optimizer lists them. */
  readonly networks: readonly NetworkSpec[];
  /** Settings the optimizer may search with the NNs. */
  readonly knobs: readonly KnobSpec[];
  /** The QoS goal when none is given. */
  readonly goal: QosGoal;
  /** What guided tuning optimizes when a config names nothing (an `objectiveRegistry` name: `min-fps`, `utilization`). */
  readonly objective: string;
  /** The perception source a validated configuration describes (loads ONNX models for `onnx`). */
  createPerception(config: RunConfig): Promise<S>;
  /** The closed loop as one pipe on simulated time; subscribing starts it, `runClosedLoop` drives it. */
  loop(context: LoopContext<K, S>): Observable<unknown>;
  /**
   * Injected perception carrying these errors, by network name (a network not named gets none); each
   * error is of its network's `injection` kind.
   */
  injectedPerception(errors: Readonly<Record<string, NnInjection>>): PerceptionConfigInput;
  /** ONNX perception running these model files, by network name (every network named). */
  onnxPerception(models: Readonly<Record<string, string>>): PerceptionConfigInput;
}
