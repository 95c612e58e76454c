import { check } from "../../../common/index.ts";
import type { LrSchedule } from "./LrSchedule.ts";

/** Options of {@link StepSchedule}. */
export interface StepScheduleOptions {
  /** Initial learning rate (> 0). */
  lr: number;
  /** Steps between decays (> 0). Multiply epochs by steps per epoch for epoch-based decay. */
  stepSize: number;
  /** Factor applied at each decay. @default 0.1 */
  gamma?: number;
}

/** Step decay (PyTorch `StepLR`): `lr · gamma^floor(step / stepSize)`. */
export class StepSchedule implements LrSchedule {
  readonly kind = "step";
  readonly lr: number;
  readonly stepSize: number;
  readonly gamma: number;

  constructor(opts: StepScheduleOptions) {
    this.lr = opts.lr;
    this.stepSize = opts.stepSize;
    this.gamma = opts.gamma ?? 0.1;
    check(Number.isFinite(this.lr) && this.lr > 0, "StepSchedule.lr", () => `must be a positive number, got ${this.lr}`);
    check(
      Number.isInteger(this.stepSize) && this.stepSize > 0,
      "StepSchedule.stepSize",
      () => `must be a positive integer, got ${this.stepSize}`,
    );
    check(Number.isFinite(this.gamma) && this.gamma > 0, "StepSchedule.gamma", () => `must be a positive number, got ${this.gamma}`);
  }

  at(step: number): number {
    return this.lr * Math.pow(this.gamma, Math.floor(step / this.stepSize));
  }
}
