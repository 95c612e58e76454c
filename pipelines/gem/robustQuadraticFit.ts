/** Result of {@link robustQuadraticFit}: y = a + b·x + c·x². */
export interface QuadraticFit {
  a: number;
  b: number;
  c: number;
  /** Points with non-negligible weight after the last iteration. */
  inliers: number;
  /** Robust residual scale (m): 1.4826 × median absolute residual. */
  scale: number;
}

/**
 * Fits y = a + b·x + c·x² to points (xs[i], ys[i]), i < n, by iteratively
 * reweighted least squares with Tukey's biweight (points beyond 4.685 robust
 * scales get weight 0), starting from ordinary least squares. `ridge` pulls
 * the curvature c toward `cPrior`, which keeps short or sparse point sets
 * (a single dash) from producing wild parabolas.
 *
 * Allocation-free apart from the returned object when `target` is given;
 * `work` must hold at least n numbers. Returns null when fewer than 3 points
 * or the system is singular.
 */
export function robustQuadraticFit(
  xs: Float64Array,
  ys: Float64Array,
  n: number,
  work: Float64Array,
  opts: { iterations?: number; ridge?: number; cPrior?: number; minScale?: number } = {},
  target?: QuadraticFit,
): QuadraticFit | null {
  if (n < 3) return null;
  const iterations = opts.iterations ?? 5;
  const ridge = opts.ridge ?? 0;
  const cPrior = opts.cPrior ?? 0;
  const minScale = opts.minScale ?? 0.02;
  const w = work;
  for (let i = 0; i < n; i++) w[i] = 1;
  let a = 0;
  let b = 0;
  let c = 0;
  let scale = 0;
  let inliers = n;
  for (let it = 0; it <= iterations; it++) {
    // Weighted normal equations for (a, b, c) with the ridge on c.
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      s4 = 0,
      t0 = 0,
      t1 = 0,
      t2 = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const x = xs[i];
      const y = ys[i];
      const x2 = x * x;
      s0 += wi;
      s1 += wi * x;
      s2 += wi * x2;
      s3 += wi * x2 * x;
      s4 += wi * x2 * x2;
      t0 += wi * y;
      t1 += wi * x * y;
      t2 += wi * x2 * y;
    }
    const m22 = s4 + ridge;
    const r2 = t2 + ridge * cPrior;
    const sol = solve3(s0, s1, s2, s1, s2, s3, s2, s3, m22, t0, t1, r2);
    if (!sol) return null;
    a = sol[0];
    b = sol[1];
    c = sol[2];
    if (it === iterations) break;
    // Robust scale from the median absolute residual of the current fit.
    for (let i = 0; i < n; i++) w[i] = Math.abs(ys[i] - (a + b * xs[i] + c * xs[i] * xs[i]));
    scale = Math.max(minScale, 1.4826 * median(w, n));
    const cut = 4.685 * scale;
    inliers = 0;
    for (let i = 0; i < n; i++) {
      const r = w[i] / cut;
      if (r >= 1) w[i] = 0;
      else {
        const q = 1 - r * r;
        w[i] = q * q;
        inliers++;
      }
    }
    if (inliers < 3) return null;
  }
  const out = target ?? { a: 0, b: 0, c: 0, inliers: 0, scale: 0 };
  out.a = a;
  out.b = b;
  out.c = c;
  out.inliers = inliers;
  out.scale = scale;
  return out;
}

const _sol = new Float64Array(3);

/** Solves a 3×3 system by Cramer's rule; null when (nearly) singular. Returns a shared scratch array. */
function solve3(
  a00: number,
  a01: number,
  a02: number,
  a10: number,
  a11: number,
  a12: number,
  a20: number,
  a21: number,
  a22: number,
  b0: number,
  b1: number,
  b2: number,
): Float64Array | null {
  const c00 = a11 * a22 - a12 * a21;
  const c01 = a12 * a20 - a10 * a22;
  const c02 = a10 * a21 - a11 * a20;
  const det = a00 * c00 + a01 * c01 + a02 * c02;
  const norm = Math.abs(a00 * a11 * a22) + 1e-300;
  if (!(Math.abs(det) > 1e-12 * norm)) return null;
  _sol[0] = (b0 * c00 + a01 * (b2 * a12 - b1 * a22) + a02 * (b1 * a21 - b2 * a11)) / det;
  _sol[1] = (a00 * (b1 * a22 - a12 * b2) + b0 * c01 + a02 * (a10 * b2 - b1 * a20)) / det;
  _sol[2] = (a00 * (a11 * b2 - b1 * a21) + a01 * (b1 * a20 - a10 * b2) + b0 * c02) / det;
  return _sol;
}

/**
 * Median of the first n values of `values`, by quickselect on a private
 * scratch copy (the input is not reordered).
 */
function median(values: Float64Array, n: number): number {
  if (_med.length < n) _med = new Float64Array(Math.max(n, 2 * _med.length));
  const a = _med;
  for (let i = 0; i < n; i++) a[i] = values[i];
  const k = n >> 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

let _med = new Float64Array(256);
