import { Random } from "../../../common/index.ts";
import { svd, type Svd } from "./svd.ts";

/** Options of {@link truncatedSvd}. */
export interface TruncatedSvdOptions {
  /** Extra sketch columns beyond `rank`. @default 10 */
  oversample?: number;
  /** Subspace (power) iterations; more sharpen slowly decaying spectra. @default 2 */
  powerIterations?: number;
  /** Seed of the Gaussian sketch. @default 0 */
  seed?: number;
}

/**
 * The leading singular triplets of a row-major m×n matrix by randomized
 * subspace iteration (Halko, Martinsson & Tropp 2011, Alg. 4.4): sketch the
 * range with A·Ω (Ω Gaussian, rank + oversample columns), refine it with
 * power iterations (re-orthonormalizing each time), then take the exact SVD
 * (one-sided Jacobi) of the small projection QᵀA.
 *
 * Why: a full Jacobi SVD of a 1536×1536 kernel matrix (a 512-channel 3×3
 * conv) costs ~50·n³ flops, minutes in JS; this costs ~2·(2q+2)·m·n·l plus an
 * l×n Jacobi SVD. The result is deterministic for a seed and close to the
 * optimal rank-`rank` approximation, not exact: use {@link svd} when every
 * singular vector is needed.
 *
 * @returns an {@link Svd} with k = min(rank + oversample, m, n) triplets, descending.
 */
export function truncatedSvd(a: ArrayLike<number>, m: number, n: number, rank: number, opts: TruncatedSvdOptions = {}): Svd {
  const l = Math.min(rank + (opts.oversample ?? 10), m, n);
  const rng = new Random(opts.seed ?? 0).fork("truncatedSvd");
  const omega = new Float64Array(n * l); // n×l, column-major
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  const q = new Float64Array(m * l); // m×l, column-major
  const z = new Float64Array(n * l); // n×l, column-major
  multiplyA(a, m, n, omega, l, q);
  orthonormalize(q, m, l);
  for (let it = 0; it < (opts.powerIterations ?? 2); it++) {
    multiplyAt(a, m, n, q, l, z);
    orthonormalize(z, n, l);
    multiplyA(a, m, n, z, l, q);
    orthonormalize(q, m, l);
  }
  // B = QᵀA (l×n, row-major) is the transpose of AᵀQ (n×l, column-major): same memory layout.
  multiplyAt(a, m, n, q, l, z);
  const small = svd(z, l, n);
  // U = Q·U_B.
  const k = small.k;
  const u = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let j = 0; j < l; j++) acc += q[j * m + i] * small.u[j * k + c];
      u[i * k + c] = acc;
    }
  }
  return { m, n, k, u, s: small.s, v: small.v };
}

/** out[:, j] = A·x[:, j] for column-major x (n×l) and out (m×l). */
function multiplyA(a: ArrayLike<number>, m: number, n: number, x: Float64Array, l: number, out: Float64Array): void {
  for (let j = 0; j < l; j++) {
    const xo = j * n;
    for (let i = 0; i < m; i++) {
      let acc = 0;
      const ao = i * n;
      for (let c = 0; c < n; c++) acc += a[ao + c] * x[xo + c];
      out[j * m + i] = acc;
    }
  }
}

/** out[:, j] = Aᵀ·x[:, j] for column-major x (m×l) and out (n×l). */
function multiplyAt(a: ArrayLike<number>, m: number, n: number, x: Float64Array, l: number, out: Float64Array): void {
  out.fill(0);
  for (let j = 0; j < l; j++) {
    const oo = j * n;
    for (let i = 0; i < m; i++) {
      const s = x[j * m + i];
      if (s === 0) continue;
      const ao = i * n;
      for (let c = 0; c < n; c++) out[oo + c] += s * a[ao + c];
    }
  }
}

/**
 * Orthonormalizes the l columns (length `rows`, column-major) in place by
 * modified Gram–Schmidt applied twice ("twice is enough"); a column that
 * vanishes is replaced by zeros.
 */
function orthonormalize(x: Float64Array, rows: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < l; j++) {
      const jo = j * rows;
      for (let p = 0; p < j; p++) {
        const po = p * rows;
        let d = 0;
        for (let i = 0; i < rows; i++) d += x[po + i] * x[jo + i];
        for (let i = 0; i < rows; i++) x[jo + i] -= d * x[po + i];
      }
      let nrm = 0;
      for (let i = 0; i < rows; i++) nrm += x[jo + i] * x[jo + i];
      nrm = Math.sqrt(nrm);
      const inv = nrm > 1e-300 ? 1 / nrm : 0;
      for (let i = 0; i < rows; i++) x[jo + i] *= inv;
    }
  }
}
