import { InputError } from "../../common/index.ts";
import type { KnobAxis } from "../../optimizer/index.ts";
import type { ApplicationSpec, NetworkSpec, QosGoal } from "../../pipelines/index.ts";

/** Metric function name of one `--metrics` entry (a closed-form metric of its network). */
export type FlagMetric = NetworkSpec["closedForm"]["metrics"][string];

/** `--metrics` when not given: each network of the application by its first closed-form metric. */
export function defaultMetricsFlag(spec: ApplicationSpec): string {
  return spec.networks.map((n) => `${n.name}:${Object.keys(n.closedForm.metrics)[0]}`).join(",");
}

/** Raw strings of the calibration flags (commander leaves unset ones undefined). */
export interface CalibrateFlagStrings {
  world?: string;
  metrics?: string;
  iters?: string;
  precision?: string;
  seeds?: string;
  workers?: string;
  bounds?: string;
  fpsAxis?: string;
  goal?: string;
}

/** The calibration flags, validated; fields of flags not given are undefined. */
export interface CalibrateFlags {
  world?: string;
  /** NN name → metric function name, in the order given. */
  metrics?: [string, FlagMetric][];
  iters?: number;
  precision?: number;
  /** Simulation seeds 0…k−1, as a count in the config means. */
  seeds?: number[];
  workers?: number;
  bounds?: Record<string, [number, number]>;
  fpsAxis?: KnobAxis;
  goal?: QosGoal;
}

/** Validates the calibration flags of `approxcaliper calibrate`; errors are one line naming the flag. */
export function parseCalibrateFlags(o: CalibrateFlagStrings, spec: ApplicationSpec): CalibrateFlags {
  const pipeline = spec.name;
  const nns: Record<string, NetworkSpec> = Object.fromEntries(spec.networks.map((n) => [n.name, n]));
  const flags: CalibrateFlags = { world: o.world };
  if (o.metrics !== undefined) flags.metrics = parseMetrics(o.metrics, pipeline, nns);
  if (o.iters !== undefined) flags.iters = positiveInt("--iters", o.iters);
  if (o.precision !== undefined) {
    const p = number("--precision", o.precision);
    if (!(p > 0 && p < 1)) throw new InputError("--precision", `expected a fraction in (0, 1), got ${o.precision}`);
    flags.precision = p;
  }
  if (o.seeds !== undefined) flags.seeds = Array.from({ length: positiveInt("--seeds", o.seeds) }, (_, k) => k);
  if (o.workers !== undefined) flags.workers = positiveInt("--workers", o.workers);
  if (o.bounds !== undefined) flags.bounds = parseBounds(o.bounds, pipeline, nns);
  if (o.fpsAxis !== undefined) {
    const parts = o.fpsAxis.split(":");
    const [best, worst] = parts.map((s) => number("--fps-axis", s));
    if (parts.length !== 2 || !(best > 0 && worst > 0) || best === worst) {
      throw new InputError("--fps-axis", `expected best:worst perception rates in Hz (positive, different), e.g. 20:5, got "${o.fpsAxis}"`);
    }
    flags.fpsAxis = { name: "fps", best, worst };
  }
  if (o.goal !== undefined) {
    let goal: unknown;
    try {
      goal = JSON.parse(o.goal);
    } catch {
      throw new InputError("--goal", `not valid JSON: ${o.goal}`);
    }
    if (typeof goal !== "object" || goal === null || Array.isArray(goal)) throw new InputError("--goal", `expected a JSON object such as {"collisions":0}, got ${o.goal}`);
    flags.goal = goal as QosGoal;
  }
  return flags;
}

function parseMetrics(value: string, pipeline: string, nns: Record<string, NetworkSpec>): [string, FlagMetric][] {
  const out: [string, FlagMetric][] = [];
  for (const entry of value.split(",")) {
    const [nn, short, ...rest] = entry.split(":");
    if (short === undefined || rest.length > 0) throw new InputError("--metrics", `expected nn:metric entries, e.g. heading:l1, got "${entry}"`);
    const network = nns[nn];
    if (network === undefined) throw new InputError("--metrics", `unknown NN "${nn}" for the ${pipeline} pipeline; expected ${Object.keys(nns).join(", ")}`);
    const table: Readonly<Record<string, FlagMetric>> = network.closedForm.metrics;
    const metric = table[short];
    if (metric === undefined) throw new InputError("--metrics", `unknown metric "${short}" for ${nn}; expected ${Object.keys(table).join(", ")}`);
    if (out.some(([n]) => n === nn)) throw new InputError("--metrics", `${nn} given twice; one metric per NN`);
    out.push([nn, metric]);
  }
  return out;
}

function parseBounds(value: string, pipeline: string, nns: Record<string, NetworkSpec>): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const entry of value.split(",")) {
    const parts = entry.split(":");
    if (parts.length !== 3) throw new InputError("--bounds", `expected nn:best:worst entries, e.g. heading:0:0.3, got "${entry}"`);
    const nn = parts[0];
    const network = nns[nn];
    if (network === undefined) throw new InputError("--bounds", `unknown NN "${nn}" for the ${pipeline} pipeline; expected ${Object.keys(nns).join(", ")}`);
    const best = number("--bounds", parts[1]);
    const worst = number("--bounds", parts[2]);
    const isError = network.closedForm.family === "gaussian";
    const ok = isError ? best >= 0 && best < worst : best <= 1 && best > worst && worst >= 0;
    if (!ok) {
      const rule = isError ? "0 ≤ best < worst (an error)" : "1 ≥ best > worst ≥ 0 (a recall or IoU)";
      throw new InputError("--bounds", `${nn} must be best:worst with ${rule}, got ${parts[1]}:${parts[2]}`);
    }
    out[nn] = [best, worst];
  }
  return out;
}

function number(flag: string, s: string): number {
  const x = Number(s);
  if (s.trim() === "" || !Number.isFinite(x)) throw new InputError(flag, `expected a number, got "${s}"`);
  return x;
}

function positiveInt(flag: string, s: string): number {
  const x = Number(s);
  if (!Number.isInteger(x) || x < 1) throw new InputError(flag, `expected a positive integer, got "${s}"`);
  return x;
}
