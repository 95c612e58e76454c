/**
 * A thin singular value decomposition A = U·diag(s)·Vᵀ of a real m×n matrix,
 * k = min(m, n): U is m×k, V is n×k (both row-major), s descending.
 */
export interface Svd {
  m: number;
  n: number;
  k: number;
  /** m×k, row-major; columns are the left singular vectors. */
  u: Float64Array;
  /** k singular values, descending, ≥ 0. */
  s: Float64Array;
  /** n×k, row-major; columns are the right singular vectors. */
  v: Float64Array;
}

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Columns count as orthogonal when |aᵢ·aⱼ| ≤ tol·‖aᵢ‖‖aⱼ‖. @default 1e-13 */
  tol?: number;
  /** Give up (throw) after this many sweeps. @default 60 */
  maxSweeps?: number;
}

/**
 * SVD by one-sided Jacobi (Hestenes 1958): plane rotations orthogonalize the
 * k = min(m, n) columns of A (or of Aᵀ when m < n, so the rotations always
 * act on the smaller Gram matrix's side) while the same rotations
 * accumulate V. Then s = column norms and U = columns / s.
 *
 * Why this method: it computes small singular values to high relative
 * accuracy (no Gram matrix is ever formed, so the condition number is not
 * squared) and is short enough to verify. Cost per sweep is about k²·(m+n)
 * flops; 6–10 sweeps are typical. Columns with a zero singular value get a
 * zero U column (the product U·diag(s)·Vᵀ is still exact).
 *
 * @param a the matrix, row-major, m×n.
 * @throws Error when it has not converged after `maxSweeps` sweeps.
 */
export function svd(a: ArrayLike<number>, m: number, n: number, opts: SvdOptions = {}): Svd {
  const transposed = m < n;
  // Work on columns of B = A (or Aᵀ): `rows` entries each, stored contiguously.
  const rows = transposed ? n : m;
  const cols = transposed ? m : n;
  const w = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (transposed) w[i * rows + j] = a[i * n + j];
      else w[j * rows + i] = a[i * n + j];
    }
  }
  const v = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) v[j * cols + j] = 1;
  const norm2 = new Float64Array(cols);
  const tol = opts.tol ?? 1e-13;
  const maxSweeps = opts.maxSweeps ?? 60;
  let converged = false;
  for (let sweep = 0; sweep < maxSweeps && !converged; sweep++) {
    for (let j = 0; j < cols; j++) norm2[j] = dot(w, j * rows, w, j * rows, rows);
    converged = true;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        const alpha = norm2[p];
        const beta = norm2[q];
        if (alpha === 0 || beta === 0) continue;
        const gamma = dot(w, p * rows, w, q * rows, rows);
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        converged = false;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(w, p * rows, q * rows, rows, c, s);
        rotate(v, p * cols, q * cols, cols, c, s);
        norm2[p] = alpha - t * gamma;
        norm2[q] = beta + t * gamma;
      }
    }
  }
  if (!converged) throw new Error(`svd: one-sided Jacobi did not converge in ${maxSweeps} sweeps (${m}×${n})`);

  const k = cols;
  const sv = new Float64Array(k);
  for (let j = 0; j < k; j++) sv[j] = Math.sqrt(dot(w, j * rows, w, j * rows, rows));
  const order = Array.from({ length: k }, (_, j) => j).sort((x, y) => sv[y] - sv[x] || x - y);
  const left = new Float64Array(rows * k); // rows×k row-major: normalized columns of B·V
  const right = new Float64Array(cols * k); // cols×k row-major: V
  const s = new Float64Array(k);
  order.forEach((j, r) => {
    s[r] = sv[j];
    const inv = sv[j] > 0 ? 1 / sv[j] : 0;
    for (let i = 0; i < rows; i++) left[i * k + r] = w[j * rows + i] * inv;
    for (let i = 0; i < cols; i++) right[i * k + r] = v[j * cols + i];
  });
  // B = left·S·rightᵀ; for A = Bᵀ the roles swap.
  return transposed ? { m, n, k, u: right, s, v: left } : { m, n, k, u: left, s, v: right };
}

function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let acc = 0;
  for (let i = 0; i < len; i++) acc += x[xo + i] * y[yo + i];
  return acc;
}

/** Columns p, q ← (c·p − s·q, s·p + c·q). */
function rotate(x: Float64Array, po: number, qo: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const a = x[po + i];
    const b = x[qo + i];
    x[po + i] = c * a - s * b;
    x[qo + i] = s * a + c * b;
  }
}
