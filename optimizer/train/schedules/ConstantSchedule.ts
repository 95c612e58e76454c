import { check } from "../../../common/index.ts";
import type { LrSchedule } from "./LrSchedule.ts";

/** The same learning rate at every step. */
export class ConstantSchedule implements LrSchedule {
  readonly kind = "constant";

  /** @param lr learning rate (> 0). */
  constructor(readonly lr: number) {
    check(Number.isFinite(lr) && lr > 0, "ConstantSchedule.lr", () => `must be a positive number, got ${lr}`);
  }

  at(_step: number): number {
    return this.lr;
  }
}
