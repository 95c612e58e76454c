import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { InputError, check, rateLowerBound, rateUpperBound, stableHash, type RateDecision, seedRange } from "../../common/index.ts";
import { loadWorldScenario } from "../../worlds/index.ts";
import { getApplication } from "../application/applicationRegistry.ts";
import { checkApplicationWorld } from "../application/checkApplicationWorld.ts";
import { parseRunConfig, type RunConfig, type RunConfigInput } from "../RunConfig.ts";
import { InlineBackend } from "./InlineBackend.ts";
import type { QosBackend } from "./QosBackend.ts";
import { checkQosGoal, configurationPasses, isRateGoal, rateTestOf, seedPasses, type QosGoal } from "./QosGoal.ts";
import type { RunSummary } from "./RunSummary.ts";
import { ThreadPoolBackend } from "./ThreadPoolBackend.ts";

/** Per-seed outcome of an evaluation. */
export interface SeedResult extends RunSummary {
  pass: boolean;
}

/** Result of {@link QosEvaluator.evaluate}. */
export interface QosEvaluation {
  /** Cache key: stable hash of (validated configuration, seeds, early-stop bound), and the goal for a rate goal. */
  hash: string;
  config: RunConfig;
  goal: QosGoal;
  /** The seeds the verdict rests on (for a rate goal, the first `runs` of the seeds offered). */
  seeds: number[];
  /** `verdict === "pass"`. */
  pass: boolean;
  /** "uncertain" only for a rate goal still undecided when its runs ran out; never a pass. */
  verdict: RateDecision;
  /** Runs the verdict rests on. */
  runs: number;
  /**
   * One-sided Clopper–Pearson bounds on the rate of passing runs, each at the goal's confidence
   * (0.95 when it states none): what the runs show whatever the goal's form.
   */
  rateLower: number;
  rateUpper: number;
  /** Total collisions over all seeds. */
  collisions: number;
  passedSeeds: number;
  perSeed: SeedResult[];
  /** True when the runs came from the evaluator's cache. */
  cached: boolean;
}

/**
 * Seeds a rate goal's runs are started in: a fixed chunk size (not the worker count) keeps cache
 * keys the same whatever the parallelism; a verdict wastes at most one chunk less one run.
 */
export const SEQUENTIAL_CHUNK = 8;

/** Options of {@link QosEvaluator}. */
export interface QosEvaluatorOptions {
  /** Worker threads; 0 runs seeds one after another on the calling thread. Ignored when `backend` is given. @default os.availableParallelism() */
  workers?: number;
  /** Where the runs happen. @default a {@link ThreadPoolBackend} of `workers` threads, or an {@link InlineBackend} for 0 */
  backend?: QosBackend;
  /**
   * Seeds evaluated when `evaluate` is given none: `firstSeed … firstSeed + seeds − 1`; for a rate goal
   * the default is as many as its test may use (`maxRuns`). @default 5
   */
  seeds?: number;
  /** Seeds count from 0, as everywhere (see `seedRange`). @default 0 */
  firstSeed?: number;
  /**
   * Stop each run once it has more collisions than the goal allows: the verdict is then known and the run
   * costs less (collision counts become lower bounds). @default false
   */
  earlyStop?: boolean;
  /** Keep each run's trajectory in its {@link RunSummary} (memory: ~80 B per control step). @default false */
  trajectories?: boolean;
  /** Keep each run's trajectory and perception log (what a replay needs); implies `trajectories`. @default false */
  recordings?: boolean;
  /**
   * Called with each run as soon as it finishes (before the configuration's other seeds), e.g. to
   * write it to disk; with `trajectories`, the trajectory is dropped from memory once this resolves,
   * so a long run over many seeds keeps only summaries.
   */
  onRun?: (run: RunSummary) => void | Promise<void>;
  /**
   * JSON-lines file persisting the cache (one `{ hash, runs }` per evaluated configuration, appended as
   * soon as its runs finish), so a killed optimizer resumes without re-running anything. Loaded at
   * construction unless `trajectories` is set; trajectories and perception logs are not persisted, so
   * runs loaded from it come without them.
   */
  cacheFile?: string;
}

/**
 * The QoS oracle: runs one configuration over K seeds in parallel on a
 * {@link QosBackend} and decides pass/fail against a goal. Results are cached
 * in memory by {@link QosEvaluator.hash}, so re-asking for a known
 * configuration is free; thread workers keep built worlds per (preset, seed),
 * so repeated evaluations of the same seeds skip world generation. Oracle and
 * injected perception render nothing.
 *
 * @example
 * const qos = new QosEvaluator({ workers: 2 });
 * const r = await qos.evaluate({ pipeline: "cropfollow", world: "cropfield-straight",
 *   perception: { kind: "injected", heading: { std: 0.05 } } }, { collisions: 0 });
 * await qos.close();
 */
export class QosEvaluator {
  /** Worker threads of the default backend (0: inline); 0 as well when a backend was given. */
  readonly workers: number;
  readonly defaultSeeds: number[];
  private readonly earlyStop: boolean;
  private readonly trajectories: boolean;
  private readonly onRun: QosEvaluatorOptions["onRun"];
  private readonly recordings: boolean;
  private readonly cacheFile: string | undefined;
  private readonly backend: QosBackend;
  private readonly cache = new Map<string, RunSummary[]>();
  private readonly inflight = new Map<string, Promise<RunSummary[]>>();

  constructor(opts: QosEvaluatorOptions = {}) {
    const workers = opts.backend ? 0 : (opts.workers ?? availableParallelism());
    check(Number.isInteger(workers) && workers >= 0 && workers <= 256, "workers", () => `expected an integer in [0, 256], got ${workers}`);
    const k = opts.seeds ?? 5;
    check(Number.isInteger(k) && k >= 1, "seeds", () => `expected an integer ≥ 1, got ${k}`);
    const first = opts.firstSeed ?? 0;
    check(Number.isSafeInteger(first) && first >= 0, "firstSeed", () => `expected a non-negative integer, got ${first}`);
    this.workers = workers;
    this.backend = opts.backend ?? (workers === 0 ? new InlineBackend() : new ThreadPoolBackend(workers));
    this.defaultSeeds = seedRange(k, first);
    this.earlyStop = opts.earlyStop ?? false;
    this.recordings = opts.recordings ?? false;
    this.trajectories = (opts.trajectories ?? false) || this.recordings;
    this.onRun = opts.onRun;
    this.cacheFile = opts.cacheFile;
    if (this.cacheFile && !(opts.trajectories ?? false) && existsSync(this.cacheFile)) this.loadCache(this.cacheFile);
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
   * the validated configuration, the world's content (the preset, or the distribution's template or name and
   * version, so an edited preset file is a new key), the seeds and the early-stop bound.
   */
  static hash(config: RunConfigInput, seeds: readonly number[], stopAfterCollisions?: number): string {
    const c = parseRunConfig(config);
    return stableHash({ kind: "qos-runs/v1", config: c, preset: loadWorldScenario(c.world).key, seeds: [...seeds], stopAfterCollisions });
  }

  /**
   * Judges `config` against `goal`. A fixed goal runs every seed (in parallel). A rate goal
   * (`passRate`) takes the seeds in order, in chunks of {@link SEQUENTIAL_CHUNK} run in parallel, and
   * stops as soon as its sequential test decides; runs past the decision are cached but not counted,
   * so the verdict depends only on the seed order.
   * @throws InputError for a bad configuration or goal (before any run starts).
   */
  async evaluate(configInput: RunConfigInput, goal: QosGoal = { collisions: 0 }, seeds?: readonly number[]): Promise<QosEvaluation> {
    const config = QosEvaluator.checkedConfig(configInput);
    checkQosGoal(goal);
    const rateTest = isRateGoal(goal) ? rateTestOf(goal) : undefined;
    const pool = seeds ?? (rateTest ? seedRange(rateTest.maxRuns, this.defaultSeeds[0]) : this.defaultSeeds);
    check(pool.length > 0 && pool.every((s) => Number.isSafeInteger(s) && s >= 0), "seeds", () => "expected non-negative integer seeds");
    const stopAfterCollisions = this.earlyStop ? (goal.collisions ?? 0) + 1 : undefined;
    const confidence = goal.confidence ?? 0.95;
    let runs: RunSummary[];
    let cached: boolean;
    let hash: string;
    let verdict: RateDecision;
    if (!rateTest) {
      hash = QosEvaluator.hash(config, pool, stopAfterCollisions);
      ({ runs, cached } = await this.runSeeds(config, pool, stopAfterCollisions));
      verdict = configurationPasses(runs.filter((r) => seedPasses(r, goal)).length, pool.length, goal) ? "pass" : "fail";
    } else {
      hash = stableHash({ kind: "qos-sequential/v1", runs: QosEvaluator.hash(config, pool, stopAfterCollisions), goal });
      runs = [];
      cached = true;
      for (let i = 0; i < pool.length && rateTest.decision === undefined; i += SEQUENTIAL_CHUNK) {
        const chunk = await this.runSeeds(config, pool.slice(i, i + SEQUENTIAL_CHUNK), stopAfterCollisions);
        cached &&= chunk.cached;
        for (const r of chunk.runs) {
          if (rateTest.decision !== undefined) break;
          runs.push(r);
          rateTest.observe(seedPasses(r, goal));
        }
      }
      verdict = rateTest.verdict().decision;
    }
    const perSeed = runs.map((r) => ({ ...r, pass: seedPasses(r, goal) }));
    const passedSeeds = perSeed.filter((r) => r.pass).length;
    return {
      hash,
      config,
      goal,
      seeds: perSeed.map((r) => r.seed),
      pass: verdict === "pass",
      verdict,
      runs: perSeed.length,
      rateLower: rateLowerBound(passedSeeds, perSeed.length, confidence),
      rateUpper: rateUpperBound(passedSeeds, perSeed.length, confidence),
      collisions: perSeed.reduce((a, r) => a + r.collisions, 0),
      passedSeeds,
      perSeed,
      cached,
    };
  }

  /** The runs of `config` on `seeds`, from the cache or the backend (concurrent requests share one set). */
  private async runSeeds(
    config: RunConfig,
    seeds: readonly number[],
    stopAfterCollisions: number | undefined,
  ): Promise<{ runs: RunSummary[]; cached: boolean }> {
    const hash = QosEvaluator.hash(config, seeds, stopAfterCollisions);
    const hit = this.cache.get(hash);
    if (hit) return { runs: hit, cached: true };
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = Promise.all(
        seeds.map((seed) =>
          this.backend
            .run({
              config,
              module: getApplication(config.pipeline).module,
              seed,
              stopAfterCollisions,
              trajectory: this.trajectories,
              recording: this.recordings,
            })
            .then((r) => this.finished(r)),
        ),
      );
      this.inflight.set(hash, pending);
    }
    let runs: RunSummary[];
    try {
      runs = await pending;
    } finally {
      this.inflight.delete(hash);
    }
    if (!this.cache.has(hash)) {
      this.cache.set(hash, runs);
      if (this.cacheFile && (this.recordings || !this.trajectories)) {
        appendFileSync(this.cacheFile, JSON.stringify({ hash, runs: runs.map(({ trajectory: _t, perception: _p, ...r }) => r) }) + "\n");
      }
    }
    return { runs, cached: false };
  }

  /**
   * The perception log of `config` run on each of `seeds` (rows as `PerceptionLog`'s, in seed order),
   * the runs spread over the backend like any others; not cached (the logs are large, and what is made
   * of them is the caller's).
   */
  async recordPerception(configInput: RunConfigInput, seeds: readonly number[], stopAfterCollisions?: number): Promise<Float64Array[]> {
    const config = QosEvaluator.checkedConfig(configInput);
    const module = getApplication(config.pipeline).module;
    return Promise.all(
      seeds.map(
        async (seed) =>
          (await this.backend.run({ config, module, seed, stopAfterCollisions, recording: true })).perception ?? new Float64Array(0),
      ),
    );
  }

  /** The validated configuration; fails early (before any worker starts) on an unknown application or world, or a world of the wrong kind. */
  private static checkedConfig(configInput: RunConfigInput): RunConfig {
    const config = parseRunConfig(configInput);
    checkApplicationWorld(getApplication(config.pipeline), config.world);
    return config;
  }

  private async finished(run: RunSummary): Promise<RunSummary> {
    if (!this.onRun) return run;
    await this.onRun(run);
    delete run.trajectory;
    delete run.perception;
    return run;
  }

  /** Stops the backend (worker threads, …). */
  close(): Promise<void> {
    return this.backend.close();
  }
}
