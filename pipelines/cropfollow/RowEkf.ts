/** Options of {@link RowEkf}; every field has a default tuned for TerraSentia in 0.76 m corn rows. */
export interface RowEkfOptions {
  /** Distance between the two plant rows bounding the lane (m); converts d = dL/(dL+dR) to an offset. @default 0.76 */
  rowSpacing?: number;
  /**
   * Process noise on the lateral offset (m/√s): wheel slip and the small-angle model error.
   * @default 0.03
   */
  lateralProcessStd?: number;
  /**
   * Process noise on the heading relative to the row (rad/√s): gyro noise and bias, plus the
   * row's own curvature, which the two-state model does not track (v·κ = 0.6 m/s / 40 m ≈ 0.015 rad/s).
   * @default 0.04
   */
  headingProcessStd?: number;
  /** Perception heading noise (rad, 1σ). @default 0.06 */
  headingMeasurementStd?: number;
  /** Perception distance-ratio noise (ratio units, 1σ; 0.05 ≈ 3.8 cm at 0.76 m). @default 0.05 */
  distanceMeasurementStd?: number;
  /**
   * Mahalanobis gate (χ², 2 dof) above which a measurement counts as an outlier and is skipped.
   * 13.8 is the 99.9 % quantile. After {@link maxConsecutiveRejects} skips in a row the next
   * measurement is accepted anyway, so a filter that drifted (or a biased camera) cannot lock itself out.
   * @default 13.8
   */
  gate?: number;
  /** @default 3 */
  maxConsecutiveRejects?: number;
  /** How far back (s) a late measurement may reach; older ones are dropped. @default 1 */
  historySeconds?: number;
  /** Inertial update rate the history is sized for (Hz). @default 100 */
  inertialRateHz?: number;
  /** Initial 1σ of the offset (m) and heading (rad). @default [0.1, 0.1] */
  initialStd?: [number, number];
}

/**
 * Extended Kalman filter over the robot's pose relative to the crop row:
 * state x = (y, ψ) with y the lateral offset from the lane centre (m, > 0 when
 * left of centre) and ψ the heading relative to the row (rad, the perception's φ).
 *
 * Prediction at the IMU rate with odometry speed v and gyro yaw rate ω:
 * y ← y + v·dt·sin ψ, ψ ← ψ + ω·dt (Jacobian F = [[1, v·dt·cos ψ], [0, 1]],
 * Q = diag(σy², σψ²)·dt). Measurement from perception z = (φ, d) with
 * h(x) = (ψ, 0.5 − y/W), W the row spacing.
 *
 * Late measurements: every prediction is stored in a ring buffer with its
 * inputs and posterior; a measurement captured at time t_c rewinds to the
 * state at t_c, is applied there, and the stored inputs are replayed up to now,
 * so perception latency costs accuracy only through what happened meanwhile.
 * The hot path allocates nothing.
 */
export class RowEkf {
  /** Current estimate: lateral offset (m). */
  y = 0;
  /** Current estimate: heading relative to the row (rad). */
  psi = 0;
  /** Covariance [Pyy, Pyψ, Pψψ]. */
  readonly P = new Float64Array(3);
  /** Time (s) of the current estimate. */
  time = 0;
  /** Measurements applied, skipped as outliers, and dropped as too late. */
  readonly stats = { applied: 0, rejected: 0, tooLate: 0 };

  private readonly W: number;
  private readonly qy: number;
  private readonly qpsi: number;
  private readonly rPhi: number;
  private readonly rD: number;
  private readonly gate: number;
  private readonly maxRejects: number;
  private readonly initialStd: [number, number];
  private rejects = 0;

  // Ring buffer of predictions: time, inputs (v, ω, dt) and the posterior after that step.
  private readonly cap: number;
  private readonly hT: Float64Array;
  private readonly hV: Float64Array;
  private readonly hW: Float64Array;
  private readonly hDt: Float64Array;
  private readonly hX: Float64Array; // y, ψ
  private readonly hP: Float64Array; // Pyy, Pyψ, Pψψ
  private head = -1;
  private count = 0;

  constructor(opts: RowEkfOptions = {}) {
    this.W = opts.rowSpacing ?? 0.76;
    const sy = opts.lateralProcessStd ?? 0.03;
    const sp = opts.headingProcessStd ?? 0.04;
    this.qy = sy * sy;
    this.qpsi = sp * sp;
    const rp = opts.headingMeasurementStd ?? 0.06;
    const rd = opts.distanceMeasurementStd ?? 0.05;
    this.rPhi = rp * rp;
    this.rD = rd * rd;
    this.gate = opts.gate ?? 13.8;
    this.maxRejects = opts.maxConsecutiveRejects ?? 3;
    this.initialStd = opts.initialStd ?? [0.1, 0.1];
    this.cap = Math.max(8, Math.ceil((opts.historySeconds ?? 1) * (opts.inertialRateHz ?? 100)) + 2);
    this.hT = new Float64Array(this.cap);
    this.hV = new Float64Array(this.cap);
    this.hW = new Float64Array(this.cap);
    this.hDt = new Float64Array(this.cap);
    this.hX = new Float64Array(this.cap * 2);
    this.hP = new Float64Array(this.cap * 3);
    this.reset(0, 0, 0);
  }

  /** Restarts the filter at time `t` (s) with estimate (y, ψ) and the initial covariance. */
  reset(t: number, y: number, psi: number): void {
    this.time = t;
    this.y = y;
    this.psi = psi;
    this.P[0] = this.initialStd[0] ** 2;
    this.P[1] = 0;
    this.P[2] = this.initialStd[1] ** 2;
    this.head = -1;
    this.count = 0;
    this.rejects = 0;
    this.record(t, 0, 0, 0);
  }

  /**
   * Propagates to time `t` (s) with speed `v` (m/s) and yaw rate `omega` (rad/s) held since
   * the last prediction. Calls with `t` not after the current time are ignored.
   */
  predict(t: number, v: number, omega: number): void {
    const dt = t - this.time;
    if (!(dt > 0)) return;
    this.propagate(v, omega, dt);
    this.time = t;
    this.record(t, v, omega, dt);
  }

  /**
   * Applies a perception measurement captured at time `captureTime` (s):
   * heading φ (rad) and distance ratio d. Returns false when it was skipped
   * (outlier or older than the history).
   */
  update(captureTime: number, phi: number, d: number): boolean {
    if (!Number.isFinite(phi) || !Number.isFinite(d)) return false;
    // Find the newest stored step at or before the capture time.
    let k = 0;
    let idx = this.head;
    while (k < this.count && this.hT[idx] > captureTime + 1e-9) {
      idx = (idx - 1 + this.cap) % this.cap;
      k++;
    }
    if (k >= this.count) {
      this.stats.tooLate++;
      return false;
    }
    // Rewind to the state at the capture time.
    const savedY = this.y;
    const savedPsi = this.psi;
    const s0 = this.P[0];
    const s1 = this.P[1];
    const s2 = this.P[2];
    this.y = this.hX[idx * 2];
    this.psi = this.hX[idx * 2 + 1];
    this.P[0] = this.hP[idx * 3];
    this.P[1] = this.hP[idx * 3 + 1];
    this.P[2] = this.hP[idx * 3 + 2];
    if (!this.correct(phi, d)) {
      this.y = savedY;
      this.psi = savedPsi;
      this.P[0] = s0;
      this.P[1] = s1;
      this.P[2] = s2;
      return false;
    }
    this.store(idx);
    // Replay the inputs recorded after the capture time.
    for (let j = k; j > 0; j--) {
      idx = (idx + 1) % this.cap;
      this.propagate(this.hV[idx], this.hW[idx], this.hDt[idx]);
      this.store(idx);
    }
    return true;
  }

  private propagate(v: number, omega: number, dt: number): void {
    const c = Math.cos(this.psi);
    this.y += v * dt * Math.sin(this.psi);
    this.psi += omega * dt;
    // P ← F P Fᵀ + Q with F = [[1, a], [0, 1]].
    const a = v * dt * c;
    const p00 = this.P[0];
    const p01 = this.P[1];
    const p11 = this.P[2];
    this.P[0] = p00 + 2 * a * p01 + a * a * p11 + this.qy * dt;
    this.P[1] = p01 + a * p11;
    this.P[2] = p11 + this.qpsi * dt;
  }

  /** Measurement update at the current state; false (state unchanged) when gated out. */
  private correct(phi: number, d: number): boolean {
    // z = (φ, d), h = (ψ, 0.5 − y/W), H = [[0, 1], [−1/W, 0]].
    const iw = 1 / this.W;
    const r0 = phi - this.psi;
    const r1 = d - (0.5 - this.y * iw);
    const p00 = this.P[0];
    const p01 = this.P[1];
    const p11 = this.P[2];
    // S = H P Hᵀ + R.
    const s00 = p11 + this.rPhi;
    const s01 = -p01 * iw;
    const s11 = p00 * iw * iw + this.rD;
    const det = s00 * s11 - s01 * s01;
    if (!(det > 0)) return false;
    const i00 = s11 / det;
    const i01 = -s01 / det;
    const i11 = s00 / det;
    const m = r0 * (i00 * r0 + i01 * r1) + r1 * (i01 * r0 + i11 * r1);
    if (m > this.gate && this.rejects < this.maxRejects) {
      this.rejects++;
      this.stats.rejected++;
      return false;
    }
    this.rejects = 0;
    this.stats.applied++;
    // P Hᵀ = [[p01, −p00/W], [p11, −p01/W]]; K = P Hᵀ S⁻¹.
    const a00 = p01;
    const a01 = -p00 * iw;
    const a10 = p11;
    const a11 = -p01 * iw;
    const k00 = a00 * i00 + a01 * i01;
    const k01 = a00 * i01 + a01 * i11;
    const k10 = a10 * i00 + a11 * i01;
    const k11 = a10 * i01 + a11 * i11;
    this.y += k00 * r0 + k01 * r1;
    this.psi += k10 * r0 + k11 * r1;
    // Joseph-free form P ← (I − K H) P, symmetrised; (I − KH) = [[1 + k01/W, −k00], [k11/W, 1 − k10]].
    const b00 = 1 + k01 * iw;
    const b01 = -k00;
    const b10 = k11 * iw;
    const b11 = 1 - k10;
    const n00 = b00 * p00 + b01 * p01;
    const n01 = b00 * p01 + b01 * p11;
    const n10 = b10 * p00 + b11 * p01;
    const n11 = b10 * p01 + b11 * p11;
    this.P[0] = n00;
    this.P[1] = 0.5 * (n01 + n10);
    this.P[2] = n11;
    return true;
  }

  private record(t: number, v: number, omega: number, dt: number): void {
    this.head = (this.head + 1) % this.cap;
    if (this.count < this.cap) this.count++;
    this.hT[this.head] = t;
    this.hV[this.head] = v;
    this.hW[this.head] = omega;
    this.hDt[this.head] = dt;
    this.store(this.head);
  }

  private store(idx: number): void {
    this.hX[idx * 2] = this.y;
    this.hX[idx * 2 + 1] = this.psi;
    this.hP[idx * 3] = this.P[0];
    this.hP[idx * 3 + 1] = this.P[1];
    this.hP[idx * 3 + 2] = this.P[2];
  }
}
