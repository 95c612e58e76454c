import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { InputError, check, stableHash } from "../common/index.ts";
import type { CollisionEvent, Simulation } from "../sim/index.ts";
import { loadWorldPreset } from "../worlds/index.ts";
import { parseRunConfig, type RunConfig, type RunConfigInput } from "./RunConfig.ts";
import type { QosTaskResult } from "./qosWorker.ts";
import type { StopReason } from "./runtime/runClosedLoop.ts";
import type { TrajectoryRecorder } from "./runtime/TrajectoryRecorder.ts";

/** Quality of service of one closed-loop run. */
export interface RunSummary {
  seed: number;
  /** Collisions counted (contact onsets with distinct obstacles); a lower bound when `stopReason` is "collisions". */
  collisions: number;
  collisionEvents: CollisionEvent[];
  /** Path length actually driven (m), from the pose at the control rate. */
  distanceMeters: number;
  /** Reached the end of the row / route. */
  completed: boolean;
  stopReason: StopReason;
  /** Simulated time of the run (s). */
  duration: number;
  /**
   * Cross-track error (m) RMS and max absolute: CropFollow, offset of the robot centre from the inter-row
   * centre line; GEM, offset of the front axle from the lane centre.
   */
  crossTrackRms: number;
  crossTrackMax: number;
  /** Heading error relative to the row/lane (rad), RMS. */
  headingRms: number;
  /** SHA-256 of the recorded trajectory; equal hashes mean bit-identical runs. */
  trajectoryHash: string;
  /** The trajectory itself (row-major, `TRAJECTORY_FIELDS` columns), when it was asked for. */
  trajectory?: Float64Array;
}

/** Summarises a finished run from the simulation state and its trajectory. */
export function summarizeRun(seed: number, sim: Simulation, trajectory: TrajectoryRecorder, stopReason: StopReason): RunSummary {
  const n = trajectory.length;
  let dist = 0;
  let ct2 = 0;
  let ctMax = 0;
  let h2 = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) dist += Math.hypot(trajectory.get(i, "x") - trajectory.get(i - 1, "x"), trajectory.get(i, "y") - trajectory.get(i - 1, "y"));
    const ct = trajectory.get(i, "crossTrack");
    const h = trajectory.get(i, "heading");
    ct2 += ct * ct;
    h2 += h * h;
    if (Math.abs(ct) > ctMax) ctMax = Math.abs(ct);
  }
  return {
    seed,
    collisions: sim.collisions.count,
    collisionEvents: sim.collisions.events.map((e) => ({ ...e })),
    distanceMeters: dist,
    completed: sim.completed(),
    stopReason,
    duration: sim.time,
    crossTrackRms: n > 0 ? Math.sqrt(ct2 / n) : 0,
    crossTrackMax: ctMax,
    headingRms: n > 0 ? Math.sqrt(h2 / n) : 0,
    trajectoryHash: trajectory.hash(),
  };
}

/**
 * A QoS goal. A seed passes when every stated bound holds; the configuration
 * passes when at least `minPassFraction` of its seeds pass (default: all).
 *
 * @example { collisions: 0 }                      // no collision on any seed, and every run completes
 * @example { collisions: 1, minPassFraction: 0.8 } // ≤ 1 collision on at least 80 % of the seeds
 */
export interface QosGoal {
  /** Most collisions allowed in one run. @default 0 */
  collisions?: number;
  /** Require reaching the row/route end (a robot stuck without touching anything does not pass). @default true */
  completed?: boolean;
  /** Largest cross-track RMS (m) allowed. */
  crossTrackRms?: number;
  /** Largest absolute cross-track error (m) allowed. */
  crossTrackMax?: number;
  /** Largest heading RMS (rad) allowed. */
  headingRms?: number;
  /** Fraction of seeds that must pass, in (0, 1]. @default 1 */
  minPassFraction?: number;
}

/** Does one run meet the goal? */
export function seedPasses(s: RunSummary, goal: QosGoal): boolean {
  if (s.collisions > (goal.collisions ?? 0)) return false;
  if ((goal.completed ?? true) && !s.completed) return false;
  if (goal.crossTrackRms !== undefined && !(s.crossTrackRms <= goal.crossTrackRms)) return false;
  if (goal.crossTrackMax !== undefined && !(s.crossTrackMax <= goal.crossTrackMax)) return false;
  if (goal.headingRms !== undefined && !(s.headingRms <= goal.headingRms)) return false;
  return true;
}

function checkGoal(goal: QosGoal): void {
  for (const [k, v] of Object.entries(goal)) {
    if (k === "completed") {
      check(typeof v === "boolean", `goal.${k}`, () => `expected true or false, got ${String(v)}`);
    } else if (["collisions", "crossTrackRms", "crossTrackMax", "headingRms"].includes(k)) {
      check(typeof v === "number" && v >= 0, `goal.${k}`, () => `expected a number ≥ 0, got ${String(v)}`);
    } else if (k === "minPassFraction") {
      check(typeof v === "number" && v > 0 && v <= 1, `goal.${k}`, () => `expected a number in (0, 1], got ${String(v)}`);
    } else {
      throw new InputError(`goal.${k}`, "unknown goal field; expected collisions, completed, crossTrackRms, crossTrackMax, headingRms or minPassFraction");
    }
  }
}

/** Fails early (before any worker starts) on an unknown world or one of the wrong kind. */
export function checkWorld(config: RunConfig): void {
  const kind = loadWorldPreset(config.world).kind;
  const want = config.pipeline === "cropfollow" ? "cropfield" : "track";
  check(kind === want, "run.world", () => `pipeline ${config.pipeline} needs a ${want} world; ${config.world} is a ${kind} world`);
}

/** Per-seed outcome of an evaluation. */
export interface SeedResult extends RunSummary {
  pass: boolean;
}

/** Result of {@link QosEvaluator.evaluate}. */
export interface QosEvaluation {
  /** Cache key: stable hash of (validated configuration, seeds, early-stop bound). */
  hash: string;
  config: RunConfig;
  goal: QosGoal;
  seeds: number[];
  pass: boolean;
  /** Total collisions over all seeds. */
  collisions: number;
  passedSeeds: number;
  perSeed: SeedResult[];
  /** True when the runs came from the evaluator's cache. */
  cached: boolean;
}

/** Options of {@link QosEvaluator}. */
export interface QosEvaluatorOptions {
  /** Worker threads; 0 runs seeds one after another on the calling thread. @default os.availableParallelism() */
  workers?: number;
  /** Seeds evaluated when `evaluate` is given none: `firstSeed … firstSeed + seeds − 1`. @default 5 */
  seeds?: number;
  /** @default 1 */
  firstSeed?: number;
  /**
   * Stop each run once it has more collisions than the goal allows: the verdict is then known and the run
   * costs less (collision counts become lower bounds). @default false
   */
  earlyStop?: boolean;
  /** Keep each run's trajectory in its {@link RunSummary} (memory: ~80 B per control step). @default false */
  trajectories?: boolean;
  /**
   * JSON-lines file persisting the cache (one `{ hash, runs }` per evaluated configuration, appended as
   * soon as its runs finish), so a killed optimizer resumes without re-running anything. Loaded at
   * construction; not consulted when `trajectories` is set (trajectories are not persisted).
   */
  cacheFile?: string;
}

/** A task for the QoS worker. */
export interface QosTask {
  config: RunConfig;
  seed: number;
  stopAfterCollisions?: number;
  /** Return the trajectory with the summary. */
  trajectory?: boolean;
}

const WORKER = fileURLToPath(new URL("./qosWorker.mjs", import.meta.url));

/**
 * The QoS oracle: runs one configuration over K seeds in parallel on a worker
 * pool and decides pass/fail against a goal. Results are cached in memory by
 * {@link QosEvaluator.hash}, so re-asking for a known configuration is free;
 * workers keep built worlds per (preset, seed), so repeated evaluations of
 * the same seeds skip world generation. Oracle and injected perception render
 * nothing.
 *
 * @example
 * const qos = new QosEvaluator({ workers: 2 });
 * const r = await qos.evaluate({ pipeline: "cropfollow", world: "cropfield-straight",
 *   perception: { kind: "injected", heading: { std: 0.05 } } }, { collisions: 0 });
 * await qos.close();
 */
export class QosEvaluator {
  readonly workers: number;
  readonly defaultSeeds: number[];
  private readonly earlyStop: boolean;
  private readonly trajectories: boolean;
  private readonly cacheFile: string | undefined;
  /**
   * One single-thread pool per worker, and each seed always goes to the same one (seed mod workers):
   * a worker's cache of built worlds then always hits, where a shared pool would hand a seed to
   * whichever thread is free and rebuild its world there (~80 ms, as long as a whole CropFollow run).
   */
  private pools: Piscina[] | undefined;
  private readonly cache = new Map<string, RunSummary[]>();
  private readonly inflight = new Map<string, Promise<RunSummary[]>>();
  private inline: ((task: QosTask) => Promise<QosTaskResult>) | undefined;

  constructor(opts: QosEvaluatorOptions = {}) {
    const workers = opts.workers ?? availableParallelism();
    check(Number.isInteger(workers) && workers >= 0 && workers <= 256, "workers", () => `expected an integer in [0, 256], got ${workers}`);
    const k = opts.seeds ?? 5;
    check(Number.isInteger(k) && k >= 1, "seeds", () => `expected an integer ≥ 1, got ${k}`);
    const first = opts.firstSeed ?? 1;
    check(Number.isSafeInteger(first) && first >= 0, "firstSeed", () => `expected a non-negative integer, got ${first}`);
    this.workers = workers;
    this.defaultSeeds = Array.from({ length: k }, (_, i) => first + i);
    this.earlyStop = opts.earlyStop ?? false;
    this.trajectories = opts.trajectories ?? false;
    this.cacheFile = opts.cacheFile;
    if (this.cacheFile && !this.trajectories && existsSync(this.cacheFile)) this.loadCache(this.cacheFile);
  }

  /** Number of cached configurations (in memory, including those loaded from the cache file). */
  get cacheSize(): number {
    return this.cache.size;
  }

  private loadCache(file: string): void {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      let entry: { hash?: unknown; runs?: unknown };
      try {
        entry = JSON.parse(line);
      } catch {
        // A line cut short by a kill is the only expected damage: skip the last one, reject others.
        if (i >= lines.length - 2) return;
        throw new InputError(`${file}:${i + 1}`, "not a JSON line of the QoS cache");
      }
      check(typeof entry.hash === "string" && Array.isArray(entry.runs), `${file}:${i + 1}`, () => "expected { hash, runs } (a QoS cache line)");
      this.cache.set(entry.hash as string, entry.runs as RunSummary[]);
    });
  }

  /**
   * The cache key of a configuration evaluated on `seeds` (what identifies the runs, not the goal):
   * the validated configuration, the world preset's content (so an edited preset file is a new key),
   * the seeds and the early-stop bound.
   */
  static hash(config: RunConfigInput, seeds: readonly number[], stopAfterCollisions?: number): string {
    const c = parseRunConfig(config);
    return stableHash({ kind: "qos-runs/v1", config: c, preset: loadWorldPreset(c.world), seeds: [...seeds], stopAfterCollisions });
  }

  /**
   * Runs `config` on every seed (in parallel) and judges the runs against `goal`.
   * @throws InputError for a bad configuration or goal (before any run starts).
   */
  async evaluate(configInput: RunConfigInput, goal: QosGoal = { collisions: 0 }, seeds: readonly number[] = this.defaultSeeds): Promise<QosEvaluation> {
    const config = parseRunConfig(configInput);
    checkGoal(goal);
    checkWorld(config);
    check(seeds.length > 0 && seeds.every((s) => Number.isSafeInteger(s) && s >= 0), "seeds", () => "expected non-negative integer seeds");
    const stopAfterCollisions = this.earlyStop ? (goal.collisions ?? 0) + 1 : undefined;
    const hash = QosEvaluator.hash(config, seeds, stopAfterCollisions);
    let runs = this.cache.get(hash);
    const cached = runs !== undefined;
    if (!runs) {
      // Concurrent requests for the same configuration share one set of runs.
      let pending = this.inflight.get(hash);
      if (!pending) {
        pending = Promise.all(seeds.map((seed) => this.runOne({ config, seed, stopAfterCollisions, trajectory: this.trajectories })));
        this.inflight.set(hash, pending);
      }
      try {
        runs = await pending;
      } finally {
        this.inflight.delete(hash);
      }
      if (!this.cache.has(hash)) {
        this.cache.set(hash, runs);
        if (this.cacheFile && !this.trajectories) appendFileSync(this.cacheFile, JSON.stringify({ hash, runs }) + "\n");
      }
    }
    const perSeed = runs.map((r) => ({ ...r, pass: seedPasses(r, goal) }));
    const passedSeeds = perSeed.filter((r) => r.pass).length;
    const need = Math.ceil((goal.minPassFraction ?? 1) * seeds.length - 1e-9);
    return {
      hash,
      config,
      goal,
      seeds: [...seeds],
      pass: passedSeeds >= need,
      collisions: perSeed.reduce((a, r) => a + r.collisions, 0),
      passedSeeds,
      perSeed,
      cached,
    };
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    const pools = this.pools;
    this.pools = undefined;
    if (pools) await Promise.all(pools.map((p) => p.destroy()));
  }

  private async runOne(task: QosTask): Promise<RunSummary> {
    let result: QosTaskResult;
    if (this.workers === 0) {
      this.inline ??= (await import("./qosWorker.ts")).default;
      result = await this.inline(task);
    } else {
      this.pools ??= Array.from({ length: this.workers }, () => new Piscina({ filename: WORKER, minThreads: 1, maxThreads: 1, idleTimeout: 60_000 }));
      result = (await this.pools[task.seed % this.workers].run(task)) as QosTaskResult;
    }
    if ("inputError" in result) {
      const { where, message } = result.inputError;
      throw new InputError(where, message.startsWith(`${where}: `) ? message.slice(where.length + 2) : message);
    }
    return result.summary;
  }
}
