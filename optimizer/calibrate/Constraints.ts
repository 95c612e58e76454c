import { z } from "zod";
import { check, parseInput } from "../../common/index.ts";
import { checkAxis, toUnit, type CalibrationAxis } from "./CalibrationAxis.ts";
import { downSetVolume, unionVolume, type Box } from "./volume.ts";

/** How a metric-budget point stands against the QoS goal. */
export type Classification = "valid" | "invalid" | "uncertain";

/** A budget point whose QoS outcome is known. */
export interface EvaluatedPoint {
  /** One metric value per axis, in axis order (metric units). */
  point: number[];
  pass: boolean;
  /** The QoS evaluation's hash, when it came from one. */
  hash?: string;
}

/** JSON form of {@link Constraints}. */
export interface ConstraintsJSON {
  version: 1;
  axes: CalibrationAxis[];
  points: EvaluatedPoint[];
}

const schema = z.object({
  version: z.literal(1),
  axes: z
    .array(z.object({ name: z.string(), direction: z.enum(["lower-better", "higher-better"]), best: z.number(), worst: z.number() }))
    .min(1),
  points: z.array(z.object({ point: z.array(z.number()), pass: z.boolean(), hash: z.string().optional() })),
});

/**
 * What the calibration learned: QoS outcomes at budget points, and the
 * monotone classification they imply. A point is
 * - `valid` when some passing point is at least as bad on every axis
 *   (more error never helps, so it passes too);
 * - `invalid` when it is at least as bad as some failing point on every axis;
 * - `uncertain` otherwise — or when both hold (a non-monotone outcome).
 *
 * Points are in metric units, one value per axis in axis order, or a record
 * by axis name.
 */
export class Constraints {
  /** The budget axes, one per metric. */
  readonly axes: readonly CalibrationAxis[];
  private readonly evaluated: EvaluatedPoint[] = [];
  /**
   * Unit coordinates (0 = best, 1 = worst) of the maximal passing and the
   * minimal failing points: only they decide dominance, and keeping just
   * them makes classification fast on dense evaluations.
   */
  private passUnit: number[][] = [];
  private failUnit: number[][] = [];

  constructor(axes: readonly CalibrationAxis[]) {
    check(axes.length > 0, "Constraints", () => "needs at least one axis");
    axes.forEach(checkAxis);
    const names = new Set(axes.map((a) => a.name));
    check(names.size === axes.length, "Constraints", () => `axis names must be distinct: ${axes.map((a) => a.name).join(", ")}`);
    this.axes = axes.map((a) => ({ ...a }));
  }

  /** Validates and loads the JSON written by {@link toJSON}. @param where names the source in errors. */
  static fromJSON(json: unknown, where = "constraints"): Constraints {
    const parsed = parseInput(schema, json, where);
    const c = new Constraints(parsed.axes);
    for (const p of parsed.points) c.add(p.point, p.pass, p.hash);
    return c;
  }

  /** Number of axes. */
  get dims(): number {
    return this.axes.length;
  }

  /** Every evaluated point, in the order added. */
  get points(): readonly EvaluatedPoint[] {
    return this.evaluated;
  }

  /** Points known to pass. */
  get passPoints(): EvaluatedPoint[] {
    return this.evaluated.filter((p) => p.pass);
  }

  /** Points known to fail. */
  get failPoints(): EvaluatedPoint[] {
    return this.evaluated.filter((p) => !p.pass);
  }

  /** Records a QoS outcome at `point`. */
  add(point: readonly number[] | Readonly<Record<string, number>>, pass: boolean, hash?: string): this {
    const values = this.values(point);
    this.evaluated.push(hash === undefined ? { point: values, pass } : { point: values, pass, hash });
    const u = this.unit(values);
    if (pass) {
      if (!this.passUnit.some((p) => dominates(p, u))) this.passUnit = [...this.passUnit.filter((p) => !dominates(u, p)), u];
    } else if (!this.failUnit.some((f) => dominates(u, f))) this.failUnit = [...this.failUnit.filter((f) => !dominates(f, u)), u];
    return this;
  }

  /** Dominance classification of `point` (see the class comment). */
  classify(point: readonly number[] | Readonly<Record<string, number>>): Classification {
    return this.classifyUnit(this.unit(this.values(point)));
  }

  /** {@link classify} for a point already in unit coordinates. */
  classifyUnit(u: readonly number[]): Classification {
    const valid = this.passUnit.some((p) => dominates(p, u));
    const invalid = this.failUnit.some((f) => dominates(u, f));
    return valid === invalid ? "uncertain" : valid ? "valid" : "invalid";
  }

  /**
   * Share of the budget box (each axis from best to worst) that is classified
   * valid or invalid, in [0, 1]. Exact.
   */
  classifiedFraction(): number {
    const d = this.dims;
    const pass = downSetVolume(this.passUnit, d);
    // Failing up-sets [f, 1] are down-sets after mirroring every axis.
    const fail = downSetVolume(
      this.failUnit.map((f) => f.map((v) => 1 - v)),
      d,
    );
    const conflicts: Box[] = [];
    for (const p of this.passUnit) {
      for (const f of this.failUnit) {
        if (dominates(p, f)) conflicts.push({ lo: f.map(clamp01), hi: p.map(clamp01) });
      }
    }
    const both = conflicts.length > 0 ? unionVolume(conflicts, d) : 0;
    return pass + fail - 2 * both;
  }

  /** Plain JSON (axes and every evaluated point); see {@link Constraints.fromJSON}. */
  toJSON(): ConstraintsJSON {
    return {
      version: 1,
      axes: this.axes.map((a) => ({ ...a })),
      points: this.evaluated.map((p) => ({ ...p, point: p.point.slice() })),
    };
  }

  /** Unit coordinates of a point in metric units. */
  unit(values: readonly number[]): number[] {
    return values.map((v, i) => toUnit(this.axes[i], v));
  }

  private values(point: readonly number[] | Readonly<Record<string, number>>): number[] {
    let values: number[];
    if (Array.isArray(point)) values = point.slice();
    else {
      const rec = point as Readonly<Record<string, number>>;
      values = this.axes.map((a) => {
        const v = rec[a.name];
        check(v !== undefined, "Constraints point", () => `missing axis "${a.name}" (axes: ${this.axes.map((x) => x.name).join(", ")})`);
        return v;
      });
    }
    check(values.length === this.dims, "Constraints point", () => `has ${values.length} values for ${this.dims} axes`);
    check(values.every(Number.isFinite), "Constraints point", () => `values must be finite, got [${values.join(", ")}]`);
    return values;
  }
}

/** True when `a` is at least as bad as `b` on every axis (unit coordinates). */
function dominates(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] < b[i]) return false;
  return true;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
