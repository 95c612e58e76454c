import { check } from "../../../common/index.ts";
import type { LrSchedule } from "./LrSchedule.ts";

/** Options of {@link OneCycleSchedule}; defaults are PyTorch's `OneCycleLR`. */
export interface OneCycleScheduleOptions {
  /** Peak learning rate (> 0). */
  maxLr: number;
  /** Total steps of the cycle; later steps keep the final rate. */
  totalSteps: number;
  /** Fraction of the steps spent rising. @default 0.3 */
  pctStart?: number;
  /** Initial rate is `maxLr / divFactor`. @default 25 */
  divFactor?: number;
  /** Final rate is the initial rate / `finalDivFactor`. @default 1e4 */
  finalDivFactor?: number;
}

/**
 * The one-cycle policy (Smith 2018) with cosine annealing, as PyTorch's
 * `OneCycleLR(anneal_strategy="cos", three_phase=False)`: rises from
 * `maxLr/divFactor` to `maxLr` over the first `pctStart` of the steps, then
 * falls to `maxLr/(divFactor·finalDivFactor)` at step `totalSteps − 1`.
 */
export class OneCycleSchedule implements LrSchedule {
  readonly kind = "one-cycle";
  readonly maxLr: number;
  readonly totalSteps: number;
  readonly initialLr: number;
  readonly finalLr: number;
  /** Last step of the rising phase (PyTorch: `pct_start·total − 1`). */
  private readonly peakStep: number;

  constructor(opts: OneCycleScheduleOptions) {
    const pctStart = opts.pctStart ?? 0.3;
    const divFactor = opts.divFactor ?? 25;
    const finalDivFactor = opts.finalDivFactor ?? 1e4;
    this.maxLr = opts.maxLr;
    this.totalSteps = opts.totalSteps;
    check(Number.isFinite(this.maxLr) && this.maxLr > 0, "OneCycleSchedule.maxLr", () => `must be a positive number, got ${this.maxLr}`);
    check(
      Number.isInteger(this.totalSteps) && this.totalSteps > 1,
      "OneCycleSchedule.totalSteps",
      () => `must be an integer > 1, got ${this.totalSteps}`,
    );
    check(pctStart > 0 && pctStart < 1, "OneCycleSchedule.pctStart", () => `must be in (0, 1), got ${pctStart}`);
    check(divFactor > 0 && finalDivFactor > 0, "OneCycleSchedule.divFactor", () => "divFactor and finalDivFactor must be positive");
    this.initialLr = this.maxLr / divFactor;
    this.finalLr = this.initialLr / finalDivFactor;
    this.peakStep = pctStart * this.totalSteps - 1;
    check(
      this.peakStep > 0 && this.peakStep < this.totalSteps - 1,
      "OneCycleSchedule.pctStart",
      () => `pctStart·totalSteps must leave at least one step in each phase (got peak step ${this.peakStep})`,
    );
  }

  at(step: number): number {
    const s = Math.min(step, this.totalSteps - 1);
    if (s <= this.peakStep) return cosineBetween(this.initialLr, this.maxLr, s / this.peakStep);
    return cosineBetween(this.maxLr, this.finalLr, (s - this.peakStep) / (this.totalSteps - 1 - this.peakStep));
  }
}

/** Cosine interpolation from `from` (t = 0) to `to` (t = 1). */
function cosineBetween(from: number, to: number, t: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * t))) / 2;
}
