import type { Random } from "../../common/index.ts";
import type { RegressionError } from "./PerceptionConfig.ts";

/**
 * The error of one regression output over a run (see {@link RegressionError}):
 * `bias + gain·(truth − center) + (std + stdSlope·|truth − center|)·n(t)`, where n is unit-variance noise,
 * Gaussian or Student-t (ν rounded up to an integer, scaled by √((ν−2)/ν)), and, with a
 * `correlationTime` τ > 0, an AR(1) process whose correlation between frames
 * Δt apart is exp(−Δt/τ) (an Ornstein–Uhlenbeck process sampled at the
 * frames): a degraded CNN sees nearly the same scene in consecutive frames and
 * errs nearly the same way, and the rate-independent τ keeps that true at any
 * perception rate. Stateful: one instance per output and run.
 */
export class RegressionErrorProcess {
  private state = 0;
  private lastTime = Number.NaN;
  /** Student-t degrees of freedom actually drawn (`Random.studentT` rounds a fractional ν up). */
  private readonly dof: number;
  private readonly innovationScale: number;

  constructor(readonly error: RegressionError) {
    this.dof = error.nu === undefined ? Infinity : Math.ceil(error.nu);
    this.innovationScale = error.nu === undefined ? 1 : Math.sqrt((this.dof - 2) / this.dof);
  }

  /**
   * The error at simulated time `time` (s) for the true value `truth`. Draws
   * nothing when `std` and `stdSlope` are 0, and exactly one Gaussian or Student-t variate
   * otherwise, so a seed's stream does not depend on the other terms.
   */
  sample(truth: number, time: number, rng: Random): number {
    const e = this.error;
    const deterministic = e.bias + e.gain * (truth - e.center);
    if (e.std === 0 && e.stdSlope === 0) return deterministic;
    const innovation = this.dof === Infinity ? rng.normal() : rng.studentT(this.dof, this.innovationScale);
    if (e.correlationTime > 0 && Number.isFinite(this.lastTime)) {
      const rho = Math.exp(-Math.max(0, time - this.lastTime) / e.correlationTime);
      this.state = rho * this.state + Math.sqrt(1 - rho * rho) * innovation;
    } else {
      this.state = innovation;
    }
    this.lastTime = time;
    return deterministic + (e.std + e.stdSlope * Math.abs(truth - e.center)) * this.state;
  }
}
