import { check } from "../../../common/index.ts";
import type { LrSchedule } from "./LrSchedule.ts";

/**
 * A schedule given as one learning rate per step: the form in which a
 * schedule is *recorded* and *replayed*.
 *
 * Learning-rate rewinding (Renda et al. 2020) retrains each pruned network
 * with the original run's schedule; recording that run's schedule with
 * {@link ExplicitSchedule.record} and saving it as JSON lets a later process
 * replay it value for value. Steps past the end keep the last value.
 *
 * @example
 * const recorded = ExplicitSchedule.record(new CosineSchedule({ lr: 0.1, totalSteps: 500 }), 500);
 * fs.writeFileSync("lr.json", JSON.stringify(recorded));
 * const replay = ExplicitSchedule.fromJSON(JSON.parse(fs.readFileSync("lr.json", "utf8")), "lr.json");
 */
export class ExplicitSchedule implements LrSchedule {
  readonly kind = "explicit";
  /** The learning rate of each step (a private copy). */
  readonly values: Float64Array;

  constructor(values: ArrayLike<number>, where = "ExplicitSchedule.values") {
    check(values.length > 0, where, () => "must hold at least one learning rate");
    this.values = Float64Array.from(values);
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      check(Number.isFinite(v) && v >= 0, `${where}[${i}]`, () => `must be a finite non-negative number, got ${v}`);
    }
  }

  /** The first `steps` values of `schedule`, frozen. */
  static record(schedule: LrSchedule, steps: number): ExplicitSchedule {
    check(Number.isInteger(steps) && steps > 0, "ExplicitSchedule.record.steps", () => `must be a positive integer, got ${steps}`);
    const values = new Float64Array(steps);
    for (let i = 0; i < steps; i++) values[i] = schedule.at(i);
    return new ExplicitSchedule(values);
  }

  /**
   * Reads the JSON written by {@link ExplicitSchedule.toJSON}; `where` names
   * the source for errors. JSON numbers round-trip doubles exactly.
   */
  static fromJSON(json: unknown, where: string): ExplicitSchedule {
    const obj = json as { kind?: unknown; values?: unknown } | null;
    check(obj !== null && typeof obj === "object", where, () => 'expected an object { kind: "explicit", values: number[] }');
    check(obj.kind === "explicit", `${where}: kind`, () => `expected "explicit", got ${JSON.stringify(obj.kind)}`);
    check(Array.isArray(obj.values), `${where}: values`, () => "expected an array of numbers");
    return new ExplicitSchedule(obj.values as number[], `${where}: values`);
  }

  at(step: number): number {
    return this.values[Math.min(step, this.values.length - 1)];
  }

  toJSON(): { kind: "explicit"; values: number[] } {
    return { kind: "explicit", values: Array.from(this.values) };
  }
}
