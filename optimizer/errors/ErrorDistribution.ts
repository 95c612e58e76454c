import { z } from "zod";
import { InputError, check, parseInput } from "../../common/index.ts";
import { REGRESSION_ERROR_MODELS, REGRESSION_STRUCTURE_TERMS, type ErrorFamily } from "./ErrorFamily.ts";
import type { GaussianInjection, InjectionParams, NnInjection } from "./InjectionParams.ts";
import { LANE_STRUCTURE_TERMS } from "./laneMaskErrorStats.ts";
import { PolynomialFit } from "./PolynomialFit.ts";
import { worldRatios } from "./worldSpread.ts";

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
    model: z.enum(REGRESSION_ERROR_MODELS).optional(),
    metric: z.string().optional(),
    levelRange: rangeSchema,
    outputs: z
      .array(
        z.object({
          name: z.string(),
          bias: fitSchema,
          std: fitSchema,
          center: z.number().optional(),
          ...Object.fromEntries(REGRESSION_STRUCTURE_TERMS.map((t) => [t, fitSchema.optional()])),
        }),
      )
      .min(1),
    worldSpread: fitSchema.optional(),
    measured: z.array(
      z.object({
        level: z.number(),
        bias: z.array(z.number()),
        std: z.array(z.number()),
        center: z.array(z.number()).optional(),
        worldSpread: z.number().optional(),
        ...Object.fromEntries(REGRESSION_STRUCTURE_TERMS.map((t) => [t, z.array(z.number()).optional()])),
      }),
    ),
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
 * Fitted values are clamped to their domain: standard deviations,
 * their slopes, correlation times, run offsets and shiftStdPx ≥ 0, rates in [0, 1], gains in [−2, 2],
 * tail weights in [0, 0.45] (ν ≥ 2.2), world spreads in [0, 1].
 */
export class ErrorDistribution {
  /** NN names, in the order the families were given (the order of array points). */
  readonly nns: readonly string[];
  private readonly families: Map<string, ErrorFamily>;
  private readonly fits: Map<string, PolynomialFit[]>;
  /** Fits of the structured terms, by `nn \0 term` (lane) or `nn \0 output \0 term` (regression), where fitted. */
  private readonly structureFits = new Map<string, PolynomialFit>();
  /** Regression families' world spread fits, by NN, where fitted. */
  private readonly spreadFits = new Map<string, PolynomialFit>();

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
      if (f.kind === "regression" && f.worldSpread) this.spreadFits.set(nn, new PolynomialFit(f.worldSpread));
      if (f.kind === "regression")
        f.outputs.forEach((o, k) => {
          for (const t of REGRESSION_STRUCTURE_TERMS) if (o[t]) this.structureFits.set(`${nn}\u0000${k}\u0000${t}`, new PolynomialFit(o[t]));
        });
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

  /**
   * Injection for `nn` at metric level `level`; for a regression family with a world spread, with one
   * alternative per kind of world (`perRun`), each the family's errors at `level` times that world's ratio.
   */
  injectionFor(nn: string, level: number): NnInjection {
    const spread = this.spreadFits.get(nn);
    if (!spread) return this.errorsAt(nn, level);
    const ratios = worldRatios(Math.min(1, Math.max(0, spread.at(level))));
    const injection = this.errorsAt(nn, level) as GaussianInjection;
    injection.perRun = ratios.map((r) => {
      const { kind: _, ...terms } = this.errorsAt(nn, level * r) as GaussianInjection;
      return terms;
    });
    return injection;
  }

  /** Whether `nn`'s family was fitted with a world spread (a regression family calibrated with `worldSpread`); false for an unknown NN. */
  hasWorldSpread(nn: string): boolean {
    return this.spreadFits.has(nn);
  }

  /**
   * Where a network of metric `level` whose metric spreads by `spread` from world to world
   * (`worldSpreadOf`) sits on `nn`'s calibrated axis: the level whose injected errors, at the family's
   * fitted spread, are as large in the hardest tenth of worlds as that network's (`x·r(s(x)) = level·r(spread)`,
   * r the hardest of `worldRatios`, s the family's `worldSpread`). The calibration injects the family's
   * usual spread; a network that errs far more in some worlds than its pooled metric says fails like a
   * deeper level, one equally good everywhere like a shallower one. `level` itself when the family has
   * no world spread.
   */
  worldEquivalentLevel(nn: string, level: number, spread: number): number {
    const fit = this.spreadFits.get(nn);
    if (!fit) {
      this.family(nn);
      return level;
    }
    const hardest = (s: number) => worldRatios(Math.min(1, Math.max(0, s)))[9];
    const target = level * hardest(spread);
    // The hardest ratio is ≥ 1, so x·r(s(x)) ≥ x: the answer lies in [0, target].
    let lo = 0;
    let hi = target;
    for (let i = 0; i < 50; i++) {
      const mid = (lo + hi) / 2;
      if (mid * hardest(fit.at(mid)) < target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  private errorsAt(nn: string, level: number): NnInjection {
    const f = this.family(nn);
    const fits = this.fits.get(nn)!;
    if (f.kind === "regression") {
      const bias: number[] = [];
      const std: number[] = [];
      for (let k = 0; k < f.outputs.length; k++) {
        bias.push(fits[2 * k].at(level));
        std.push(Math.max(0, fits[2 * k + 1].at(level)));
      }
      if ((f.model ?? "gaussian") === "gaussian") return { kind: "gaussian", bias, std };
      const term = (t: (typeof REGRESSION_STRUCTURE_TERMS)[number], lo: number, hi: number) =>
        f.outputs.map((_, k) => {
          const fit = this.structureFits.get(`${nn}\u0000${k}\u0000${t}`);
          return fit ? Math.min(hi, Math.max(lo, fit.at(level))) : 0;
        });
      const injection: NnInjection = {
        kind: "gaussian",
        bias,
        std,
        gain: term("gain", -2, 2),
        stdSlope: term("stdSlope", 0, 100),
        center: f.outputs.map((o) => o.center ?? 0),
        tail: term("tail", 0, 0.45),
      };
      const fitted = (t: (typeof REGRESSION_STRUCTURE_TERMS)[number]) =>
        f.outputs.some((_, k) => this.structureFits.has(`${nn}\u0000${k}\u0000${t}`));
      if (fitted("correlationTime")) injection.correlationTime = term("correlationTime", 0, 3600);
      if (fitted("runOffset")) injection.runOffset = term("runOffset", 0, Infinity);
      return injection;
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
