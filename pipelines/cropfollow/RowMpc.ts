/** Options of {@link RowMpc}. */
export interface RowMpcOptions {
  /** Forward speed the plan assumes and the robot is commanded (m/s). @default 0.6 */
  speed?: number;
  /** Control period (s). @default 0.05 */
  period?: number;
  /** Horizon length in control periods (N·period = look-ahead time). @default 20 */
  horizon?: number;
  /** Weight on the lateral offset (1/m²). @default 40 */
  lateralWeight?: number;
  /** Weight on the heading relative to the row (1/rad²). @default 4 */
  headingWeight?: number;
  /** Weight on the yaw-rate command ((s/rad)²). @default 0.2 */
  rateWeight?: number;
  /** Weight on command changes between periods ((s/rad)²), for smoothness. @default 0.5 */
  slewWeight?: number;
  /** Largest yaw-rate command (rad/s), a hard constraint of the QP. @default 1 */
  maxOmega?: number;
  /** Projected-gradient iterations per solve (warm-started from the previous plan). @default 30 */
  iterations?: number;
}

/**
 * Model-predictive controller keeping the robot centred between the rows, as
 * the original CropFollow system did.
 *
 * Model (linearised about the row, speed v held, period T): state (y, ψ),
 * y ← y + v·T·ψ + v·T²/2·ω, ψ ← ψ + T·ω. Cost over N steps:
 * Σ q_y·y² + q_ψ·ψ² + r·ω² + r_Δ·(ω_k − ω_{k−1})², subject to |ω| ≤ ω_max.
 * The condensed QP (N variables, Hessian precomputed once) has an
 * unconstrained minimiser linear in (y, ψ, ω_prev), precomputed as a gain
 * matrix; when it satisfies the bounds (the usual case) it is the answer.
 * Otherwise the box-constrained QP is solved by accelerated projected
 * gradient warm-started from the clipped minimiser. The first input is applied.
 */
export class RowMpc {
  readonly speed: number;
  readonly period: number;
  readonly horizon: number;
  private readonly maxOmega: number;
  private readonly iterations: number;
  private readonly slew: number;
  /** Condensed Hessian H (N×N, row-major) and its Lipschitz step 1/L. */
  private readonly H: Float64Array;
  private readonly step: number;
  /** Linear-term maps: g = Gy·y0 + Gpsi·ψ0 − slew·e0·ω_prev. */
  private readonly Gy: Float64Array;
  private readonly Gpsi: Float64Array;
  private readonly plan: Float64Array;
  private readonly grad: Float64Array;
  private readonly prevIter: Float64Array;
  private readonly yk: Float64Array;
  /** Unconstrained minimiser u* = Ky·y + Kpsi·ψ + Kprev·ω_prev. */
  private readonly Ky: Float64Array;
  private readonly Kpsi: Float64Array;
  private readonly Kprev: Float64Array;
  private lastOmega = 0;
  /** Solves that needed the constrained iteration (for diagnostics). */
  constrainedSolves = 0;

  constructor(opts: RowMpcOptions = {}) {
    const v = (this.speed = opts.speed ?? 0.6);
    const T = (this.period = opts.period ?? 0.05);
    const N = (this.horizon = opts.horizon ?? 20);
    const qy = opts.lateralWeight ?? 40;
    const qp = opts.headingWeight ?? 4;
    const r = opts.rateWeight ?? 0.2;
    this.slew = opts.slewWeight ?? 0.5;
    this.maxOmega = opts.maxOmega ?? 1;
    this.iterations = opts.iterations ?? 30;

    // Γ: effect of input j on the state after step i (i ≥ j): y gets v·T·(i−j)·T + v·T²/2, ψ gets T.
    const gy = new Float64Array(N * N);
    const gp = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j <= i; j++) {
        gy[i * N + j] = v * T * T * (i - j) + (v * T * T) / 2;
        gp[i * N + j] = T;
      }
    }
    // Free response: y_i = y0 + v·T·(i+1)·ψ0, ψ_i = ψ0.
    const H = new Float64Array(N * N);
    for (let a = 0; a < N; a++) {
      for (let b = 0; b < N; b++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += qy * gy[i * N + a] * gy[i * N + b] + qp * gp[i * N + a] * gp[i * N + b];
        H[a * N + b] = s;
      }
      H[a * N + a] += r;
    }
    // Slew penalty: (ω0 − ω_prev)² + Σ (ω_k − ω_{k−1})² → tridiagonal.
    for (let k = 0; k < N; k++) {
      H[k * N + k] += this.slew * (k < N - 1 ? 2 : 1);
      if (k > 0) {
        H[k * N + k - 1] -= this.slew;
        H[(k - 1) * N + k] -= this.slew;
      }
    }
    this.Gy = new Float64Array(N);
    this.Gpsi = new Float64Array(N);
    for (let a = 0; a < N; a++) {
      let sy = 0;
      let sp = 0;
      for (let i = 0; i < N; i++) {
        sy += qy * gy[i * N + a];
        sp += qy * gy[i * N + a] * v * T * (i + 1) + qp * gp[i * N + a];
      }
      this.Gy[a] = sy;
      this.Gpsi[a] = sp;
    }
    this.H = H;
    this.step = 1 / largestEigenvalue(H, N);
    this.plan = new Float64Array(N);
    this.grad = new Float64Array(N);
    this.prevIter = new Float64Array(N);
    this.yk = new Float64Array(N);
    // u* = −H⁻¹ (Gy·y + Gpsi·ψ − slew·e0·ω_prev).
    const L = cholesky(H, N);
    this.Ky = choleskySolve(L, N, this.Gy).map((x) => -x);
    this.Kpsi = choleskySolve(L, N, this.Gpsi).map((x) => -x);
    const e0 = new Float64Array(N);
    e0[0] = this.slew;
    this.Kprev = choleskySolve(L, N, e0);
  }

  /**
   * The yaw-rate command (rad/s) for estimated lateral offset `y` (m, > 0 left of centre)
   * and heading `psi` (rad) relative to the row.
   */
  command(y: number, psi: number): number {
    const N = this.horizon;
    const H = this.H;
    const u = this.plan;
    const g = this.grad;
    const prev = this.prevIter;
    const z = this.yk;
    const w = this.maxOmega;
    let inside = true;
    for (let a = 0; a < N; a++) {
      const ua = this.Ky[a] * y + this.Kpsi[a] * psi + this.Kprev[a] * this.lastOmega;
      if (ua > w) {
        u[a] = w;
        inside = false;
      } else if (ua < -w) {
        u[a] = -w;
        inside = false;
      } else u[a] = ua;
    }
    if (inside) {
      this.lastOmega = u[0];
      return u[0];
    }
    this.constrainedSolves++;
    prev.set(u);
    z.set(u);
    let t = 1;
    for (let it = 0; it < this.iterations; it++) {
      // Gradient at the extrapolated point z: H z + f.
      for (let a = 0; a < N; a++) {
        let s = this.Gy[a] * y + this.Gpsi[a] * psi;
        const row = a * N;
        for (let b = 0; b < N; b++) s += H[row + b] * z[b];
        g[a] = s;
      }
      g[0] -= this.slew * this.lastOmega;
      const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const beta = (t - 1) / tNext;
      for (let a = 0; a < N; a++) {
        let next = z[a] - this.step * g[a];
        if (next > w) next = w;
        else if (next < -w) next = -w;
        u[a] = next;
        z[a] = next + beta * (next - prev[a]);
        prev[a] = next;
      }
      t = tNext;
    }
    this.lastOmega = u[0];
    return u[0];
  }

  /** Forgets the previous plan. */
  reset(): void {
    this.plan.fill(0);
    this.lastOmega = 0;
  }
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite matrix (row-major). */
function cholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error("RowMpc: the QP Hessian is not positive definite (check the weights)");
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  return L;
}

/** Solves L Lᵀ x = b. */
function choleskySolve(L: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration. */
function largestEigenvalue(A: Float64Array, n: number): number {
  let x = new Float64Array(n).fill(1 / Math.sqrt(n));
  let y = new Float64Array(n);
  let lambda = 0;
  for (let it = 0; it < 200; it++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      y[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += y[i] * y[i];
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    for (let i = 0; i < n; i++) y[i] /= norm;
    const next = norm;
    [x, y] = [y, x];
    if (Math.abs(next - lambda) <= 1e-9 * next) return next * 1.01;
    lambda = next;
  }
  return lambda * 1.01;
}
