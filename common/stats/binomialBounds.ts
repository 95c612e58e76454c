/**
 * Exact (Clopper–Pearson) one-sided confidence bounds on a success rate from
 * `successes` out of `trials` Bernoulli runs.
 *
 * Exact means the bound's coverage is at least `confidence` for every true
 * rate: it inverts the binomial tail itself instead of a normal approximation,
 * which is badly wrong at the rates QoS goals use (0.95–0.999) and the small
 * sample counts simulation affords. With 0 failures in n runs the lower bound
 * at 95 % is about 1 − 3/n (the "rule of three").
 */

/** ln k! for k < table length, grown on demand (log sums are exact enough for n ≤ 1e6, no gamma function needed). */
let logFact = new Float64Array(1);
function logFactorials(n: number): Float64Array {
  if (logFact.length > n) return logFact;
  const t = new Float64Array(Math.max(n + 1, 2 * logFact.length));
  for (let i = 1; i < t.length; i++) t[i] = t[i - 1] + Math.log(i);
  logFact = t;
  return t;
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lf = logFactorials(n);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let i = k; i <= n; i++) sum += Math.exp(lf[n] - lf[i] - lf[n - i] + i * lp + (n - i) * lq);
  return Math.min(1, sum);
}

function checkCounts(successes: number, trials: number, confidence: number): void {
  if (!(Number.isInteger(trials) && trials >= 0 && Number.isInteger(successes) && successes >= 0 && successes <= trials)) {
    throw new RangeError(`binomial bound: expected integers 0 ≤ successes ≤ trials, got ${successes} of ${trials}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`binomial bound: confidence must be in (0, 1), got ${confidence}`);
}

/** Bisection on a tail that is monotone increasing in p; 60 halvings reach double precision. */
function solveIncreasing(f: (p: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The largest rate p_L such that the true rate is ≥ p_L with probability ≥ `confidence`
 * (one-sided Clopper–Pearson lower bound; 0 when there are no successes).
 */
export function rateLowerBound(successes: number, trials: number, confidence: number): number {
  checkCounts(successes, trials, confidence);
  if (successes === 0) return 0;
  return solveIncreasing((p) => binomialUpperTail(successes, trials, p), 1 - confidence);
}

/**
 * The smallest rate p_U such that the true rate is ≤ p_U with probability ≥ `confidence`
 * (one-sided Clopper–Pearson upper bound; 1 when every trial succeeded).
 */
export function rateUpperBound(successes: number, trials: number, confidence: number): number {
  checkCounts(successes, trials, confidence);
  if (successes === trials) return 1;
  // P(X ≤ k | p) = 1 − P(X ≥ k + 1 | p) falls as p grows; solve P(X ≥ k + 1 | p) = confidence.
  return solveIncreasing((p) => binomialUpperTail(successes + 1, trials, p), confidence);
}
