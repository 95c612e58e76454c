import { z } from "zod";
import { InputError, check, parseInput } from "../../common/index.ts";
import type { ErrorFamily } from "./ErrorFamily.ts";
import type { InjectionParams, NnInjection } from "./InjectionParams.ts";
import { LANE_STRUCTURE_TERMS } from "./laneMaskErrorStats.ts";
import { PolynomialFit } from "./PolynomialFit.ts";

const fitSchema = z.object({
  coefficients: z.array(z.number()).min(1).max(3),
  xMin: z.number(),
  xMax: z.number(),
  r2: z.number(),
  n: z.number().int().positive(),
});
const rangeSchema = z.tuple([z.number(), z.number()]);
const familySchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("regression"),
    metric: z.string().optional(),
    levelRange: rangeSchema,
    outputs: z.array(z.object({ name: z.string(), bias: fitSchema, std: fitSchema })).min(1),
    measured: z.array(z.object({ level: z.number(), bias: z.array(z.number()), std: z.array(z.number()) })),
  }),
  z.object({
    kind: z.literal("lane-mask"),
    metric: z.string().optional(),
    levelRange: rangeSchema,
    shape: z.tuple([z.number().int().positive(), z.number().int().positive()]),
    dropRate: fitSchema,
    falsePositiveRate: fitSchema,
    shiftPx: fitSchema,
    shiftStdPx: fitSchema,
    ...Object.fromEntries(LANE_STRUCTURE_TERMS.map((t) => [t, fitSchema.optional()])),
    measured: z.array(
      z.object({
        level: z.number(),
        dropRate: z.number(),
        falsePositiveRate: z.number(),
        shiftPx: z.number(),
        shiftStdPx: z.number(),
        ...Object.fromEntries(LANE_STRUCTURE_TERMS.map((t) => [t, z.number().optional()])),
      }),
    ),
  }),
]);
const distributionSchema = z.object({ version: z.literal(1), families: z.record(z.string(), familySchema) });

/** JSON form of an {@link ErrorDistribution}. */
export interface ErrorDistributionJSON {
  version: 1;
  families: Record<string, ErrorFamily>;
}

/**
 * Maps a point of metric levels (one per NN) to the error injection that
 * reproduces those levels in the closed loop. Built by
 * `findErrorDistribution`; JSON round-trips with {@link toJSON} /
 * {@link ErrorDistribution.fromJSON}.
 *
 * Fitted values are clamped to their domain: standard deviations and
 * shiftStdPx ≥ 0, rates in [0, 1].
 */
export class ErrorDistribution {
  /** NN names, in the order the families were given (the order of array points). */
  readonly nns: readonly string[];
  private readonly families: Map<string, ErrorFamily>;
  private readonly fits: Map<string, PolynomialFit[]>;
  /** Fits of the structured lane terms, by `nn \0 term`, for the families that have them. */
  private readonly structureFits = new Map<string, PolynomialFit>();

  constructor(families: Record<string, ErrorFamily>) {
    this.nns = Object.keys(families);
    check(this.nns.length > 0, "ErrorDistribution", () => "needs at least one NN family");
    // Copied so later edits of the caller's objects cannot change fitted injections.
    this.families = new Map(Object.entries(structuredClone(families)));
    this.fits = new Map();
    for (const [nn, f] of this.families) {
      const fits =
        f.kind === "regression"
          ? f.outputs.flatMap((o) => [new PolynomialFit(o.bias), new PolynomialFit(o.std)])
          : [f.dropRate, f.falsePositiveRate, f.shiftPx, f.shiftStdPx].map((j) => new PolynomialFit(j));
      if (f.kind === "lane-mask")
        for (const t of LANE_STRUCTURE_TERMS) if (f[t]) this.structureFits.set(`${nn}\u0000${t}`, new PolynomialFit(f[t]));
      this.fits.set(nn, fits);
    }
  }

  /** Validates and loads the JSON written by {@link toJSON}. @param where names the source in errors. */
  static fromJSON(json: unknown, where = "error distribution"): ErrorDistribution {
    return new ErrorDistribution(parseInput(distributionSchema, json, where).families as Record<string, ErrorFamily>);
  }

  /** The family of `nn`; throws naming the known NNs if absent. */
  family(nn: string): ErrorFamily {
    const f = this.families.get(nn);
    if (!f) throw new InputError("ErrorDistribution", `no error family for NN "${nn}" (have ${this.nns.join(", ")})`);
    return f;
  }

  /** Injection for `nn` at metric level `level`. */
  injectionFor(nn: string, level: number): NnInjection {
    const f = this.family(nn);
    const fits = this.fits.get(nn)!;
    if (f.kind === "regression") {
      const bias: number[] = [];
      const std: number[] = [];
      for (let k = 0; k < f.outputs.length; k++) {
        bias.push(fits[2 * k].at(level));
        std.push(Math.max(0, fits[2 * k + 1].at(level)));
      }
      return { kind: "gaussian", bias, std };
    }
    const rate = (v: number) => Math.min(1, Math.max(0, v));
    const injection: NnInjection = {
      kind: "lane-mask",
      dropRate: rate(fits[0].at(level)),
      falsePositiveRate: rate(fits[1].at(level)),
      shiftPx: fits[2].at(level),
      shiftStdPx: Math.max(0, fits[3].at(level)),
    };
    for (const t of LANE_STRUCTURE_TERMS) {
      const fit = this.structureFits.get(`${nn}\u0000${t}`);
      if (fit) injection[t] = t === "lossRate" || t === "farDropRate" ? rate(fit.at(level)) : Math.max(0, fit.at(level));
    }
    return injection;
  }

  /**
   * Injection parameters at a metric-budget point: either one level per NN
   * by name, or an array in {@link nns} order. NNs left out get no injection.
   */
  injectionAt(levels: Readonly<Record<string, number>> | readonly number[]): InjectionParams {
    const out: InjectionParams = {};
    if (Array.isArray(levels)) {
      check(
        levels.length === this.nns.length,
        "ErrorDistribution.injectionAt",
        () => `point has ${levels.length} levels but there are ${this.nns.length} NNs (${this.nns.join(", ")})`,
      );
      this.nns.forEach((nn, i) => (out[nn] = this.injectionFor(nn, levels[i])));
    } else {
      for (const [nn, level] of Object.entries(levels as Record<string, number>)) out[nn] = this.injectionFor(nn, level);
    }
    return out;
  }

  /** Plain JSON (families with their fits and measurements); see {@link ErrorDistribution.fromJSON}. */
  toJSON(): ErrorDistributionJSON {
    return { version: 1, families: Object.fromEntries(this.families) };
  }
}
