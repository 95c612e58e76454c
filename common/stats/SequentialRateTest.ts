import { binomialUpperTail, rateLowerBound, rateUpperBound } from "./binomialBounds.ts";

/**
 * Options of a {@link SequentialRateTest}: "the success rate is at least
 * `rate`, with confidence `confidence`".
 *
 * An exact claim at one rate needs many runs (0 failures in 59 runs just
 * shows ≥ 95 % at 95 % confidence), so the test decides between two rates
 * either side of the goal, Wald's indifference zone: a configuration whose
 * true rate is ≤ `failBelow` passes with probability ≤ 1 − confidence, one
 * whose rate is ≥ `passAbove` fails with probability ≤ 1 − confidence, and in
 * between either verdict may come out. The defaults put the zone's edges at
 * twice and at 0.6 times the goal's failure rate (0.90 and 0.97 for a 0.95
 * goal), so a clearly bad configuration fails in a handful of runs and a clean
 * one passes in about 40 instead of 59.
 */
export interface SequentialRateTestOptions {
  /** Required success rate, in (0, 1). */
  rate: number;
  /** Confidence of each verdict, in (0, 1). @default 0.95 */
  confidence?: number;
  /** True rate at or below which a pass is an error. @default 1 − 2·(1 − rate), at least rate / 2 */
  failBelow?: number;
  /** True rate at or above which a fail is an error. @default 1 − 0.6·(1 − rate) */
  passAbove?: number;
  /**
   * Most runs one verdict may use. A test still undecided then falls back on the exact
   * Clopper–Pearson bounds and otherwise reports "uncertain". @default 3 × {@link SequentialRateTest.fixedSampleSize}
   */
  maxRuns?: number;
}

/** What a finished (or capped) test concluded. "uncertain" must never be read as a pass. */
export type RateDecision = "pass" | "fail" | "uncertain";

/** A verdict with what it rests on. */
export interface RateVerdict {
  decision: RateDecision;
  /** Runs observed before the decision. */
  runs: number;
  /** Of which met the per-run goal. */
  successes: number;
  /** One-sided Clopper–Pearson bounds on the success rate, each at the test's confidence. */
  rateLower: number;
  rateUpper: number;
}

/**
 * Wald's sequential probability ratio test on Bernoulli outcomes, truncated at
 * `maxRuns`. Feed outcomes in a fixed order (e.g. seed order) with
 * {@link observe}; the decision depends only on that order, so running seeds in
 * parallel batches and ignoring outcomes past the decision keeps verdicts
 * deterministic.
 *
 * @example
 * const t = new SequentialRateTest({ rate: 0.95, confidence: 0.95 });
 * for (const seed of seeds) if (t.observe(await runPasses(seed))) break;
 * const v = t.verdict(); // { decision: "pass", runs: 40, successes: 40, … }
 */
export class SequentialRateTest {
  readonly rate: number;
  readonly confidence: number;
  readonly failBelow: number;
  readonly passAbove: number;
  readonly maxRuns: number;
  private readonly stepPass: number;
  private readonly stepFail: number;
  private readonly upper: number;
  private readonly lower: number;
  private llr = 0;
  private n = 0;
  private k = 0;
  private decided: RateDecision | undefined;

  constructor(opts: SequentialRateTestOptions) {
    const { rate } = opts;
    if (!(rate > 0 && rate < 1)) throw new RangeError(`rate: expected a number in (0, 1), got ${rate}`);
    const confidence = opts.confidence ?? 0.95;
    if (!(confidence > 0.5 && confidence < 1)) throw new RangeError(`confidence: expected a number in (0.5, 1), got ${confidence}`);
    const failBelow = opts.failBelow ?? Math.max(rate / 2, 1 - 2 * (1 - rate));
    const passAbove = opts.passAbove ?? 1 - 0.6 * (1 - rate);
    if (!(failBelow > 0 && failBelow < rate && rate < passAbove && passAbove < 1)) {
      throw new RangeError(`indifference zone: expected 0 < failBelow < rate < passAbove < 1, got ${failBelow}, ${rate}, ${passAbove}`);
    }
    this.rate = rate;
    this.confidence = confidence;
    this.failBelow = failBelow;
    this.passAbove = passAbove;
    const alpha = 1 - confidence;
    this.stepPass = Math.log(passAbove / failBelow);
    this.stepFail = Math.log((1 - passAbove) / (1 - failBelow));
    this.upper = Math.log((1 - alpha) / alpha);
    this.lower = -this.upper;
    this.maxRuns = opts.maxRuns ?? 3 * SequentialRateTest.fixedSampleSize({ rate, confidence, failBelow, passAbove });
    if (!(Number.isInteger(this.maxRuns) && this.maxRuns >= 1)) throw new RangeError(`maxRuns: expected an integer ≥ 1, got ${this.maxRuns}`);
  }

  /** Records one outcome; returns the decision once there is one (then further outcomes are ignored). */
  observe(success: boolean): RateDecision | undefined {
    if (this.decided) return this.decided;
    this.n++;
    if (success) this.k++;
    this.llr += success ? this.stepPass : this.stepFail;
    if (this.llr >= this.upper) this.decided = "pass";
    else if (this.llr <= this.lower) this.decided = "fail";
    else if (this.n >= this.maxRuns) this.decided = this.capDecision();
    return this.decided;
  }

  /** The decision so far: undefined while more runs are wanted. */
  get decision(): RateDecision | undefined {
    return this.decided;
  }

  /** Runs observed so far. */
  get runs(): number {
    return this.n;
  }

  /**
   * The verdict now; before a decision (runs ran out early, e.g. a fixed seed list was exhausted)
   * it is decided by the exact bounds alone, or "uncertain".
   */
  verdict(): RateVerdict {
    const decision = this.decided ?? this.capDecision();
    const n = this.n;
    return {
      decision,
      runs: n,
      successes: this.k,
      rateLower: n > 0 ? rateLowerBound(this.k, n, this.confidence) : 0,
      rateUpper: n > 0 ? rateUpperBound(this.k, n, this.confidence) : 1,
    };
  }

  private capDecision(): RateDecision {
    if (this.n === 0) return "uncertain";
    if (rateLowerBound(this.k, this.n, this.confidence) >= this.rate) return "pass";
    if (rateUpperBound(this.k, this.n, this.confidence) < this.rate) return "fail";
    return "uncertain";
  }

  /**
   * Runs a fixed-size test needs for the same guarantees (pass with probability ≤ 1 − confidence at
   * `failBelow`, fail with probability ≤ 1 − confidence at `passAbove`): the yardstick the sequential
   * test is measured against.
   */
  static fixedSampleSize(opts: Required<Omit<SequentialRateTestOptions, "maxRuns">>): number {
    const alpha = 1 - opts.confidence;
    for (let n = 1; n <= 100_000; n++) {
      // Smallest pass threshold c with P(X ≥ c | failBelow) ≤ α, then check P(X < c | passAbove) ≤ α.
      let c = Math.ceil(n * opts.failBelow);
      while (c <= n && binomialUpperTail(c, n, opts.failBelow) > alpha) c++;
      if (c > n) continue;
      if (1 - binomialUpperTail(c, n, opts.passAbove) <= alpha) return n;
    }
    throw new RangeError("fixedSampleSize: no fixed test up to 100,000 runs meets these error rates");
  }
}
