import { check } from "../../../common/index.ts";
import type { LrSchedule } from "./LrSchedule.ts";

/** Options of {@link CosineSchedule}. */
export interface CosineScheduleOptions {
  /** Peak learning rate (> 0). */
  lr: number;
  /** Total steps of the schedule, warm-up included; later steps keep `minLr`. */
  totalSteps: number;
  /** Final learning rate. @default 0 */
  minLr?: number;
  /** Steps of linear warm-up from `lr / warmupSteps` to `lr`. @default 0 */
  warmupSteps?: number;
}

/**
 * Cosine annealing (PyTorch `CosineAnnealingLR` without restarts), with an
 * optional linear warm-up: after warm-up, `minLr + (lr − minLr)·(1 + cos(π·t/T))/2`.
 */
export class CosineSchedule implements LrSchedule {
  readonly kind = "cosine";
  readonly lr: number;
  readonly totalSteps: number;
  readonly minLr: number;
  readonly warmupSteps: number;

  constructor(opts: CosineScheduleOptions) {
    this.lr = opts.lr;
    this.totalSteps = opts.totalSteps;
    this.minLr = opts.minLr ?? 0;
    this.warmupSteps = opts.warmupSteps ?? 0;
    check(Number.isFinite(this.lr) && this.lr > 0, "CosineSchedule.lr", () => `must be a positive number, got ${this.lr}`);
    check(
      Number.isInteger(this.totalSteps) && this.totalSteps > 0,
      "CosineSchedule.totalSteps",
      () => `must be a positive integer, got ${this.totalSteps}`,
    );
    check(this.minLr >= 0 && this.minLr <= this.lr, "CosineSchedule.minLr", () => `must be in [0, lr], got ${this.minLr}`);
    check(
      Number.isInteger(this.warmupSteps) && this.warmupSteps >= 0 && this.warmupSteps < this.totalSteps,
      "CosineSchedule.warmupSteps",
      () => `must be an integer in [0, totalSteps), got ${this.warmupSteps}`,
    );
  }

  at(step: number): number {
    if (step < this.warmupSteps) return (this.lr * (step + 1)) / this.warmupSteps;
    const span = this.totalSteps - this.warmupSteps;
    const t = Math.min(step - this.warmupSteps, span);
    return this.minLr + ((this.lr - this.minLr) * (1 + Math.cos((Math.PI * t) / span))) / 2;
  }
}
