import { InvalidArgumentError, type Command } from "commander";
import { InputError, seedRange } from "../../common/index.ts";
import { metricRegistry, type KnobAxis } from "../../optimizer/index.ts";
import { applicationNames, checkQosGoal, getApplication, type ApplicationSpec, type NetworkSpec, type QosGoal } from "../../pipelines/index.ts";
import { checkedJsonArg, fractionArg, intArg, option, seedOptions, type ArgParser } from "../options/index.ts";

/** Metric function name of one `--metrics` entry (a closed-form metric of its network). */
export type FlagMetric = NetworkSpec["closedForm"]["metrics"][string];

/** `--metrics` when not given: each network of the application by its first closed-form metric. */
export function defaultMetricsFlag(spec: ApplicationSpec): string {
  return spec.networks.map((n) => `${n.name}:${Object.keys(n.closedForm.metrics)[0]}`).join(",");
}

/**
 * The calibration flags as commander parsed them. Those whose meaning depends
 * on the application (`--metrics`, `--bounds`) stay text until
 * {@link parseCalibrateFlags} knows it; the others are parsed values.
 */
export interface CalibrateFlagValues {
  world?: string;
  metrics?: string;
  iters?: number;
  precision?: number;
  seeds?: number;
  firstSeed: number;
  workers?: number;
  bounds?: string;
  fpsAxis?: KnobAxis;
  goal?: QosGoal;
}

/** The calibration flags, validated; fields of flags not given are undefined. */
export interface CalibrateFlags {
  world?: string;
  /** NN name → metric function name, in the order given. */
  metrics?: [string, FlagMetric][];
  iters?: number;
  precision?: number;
  /** Simulation seeds (`seedRange(--seeds, --first-seed)`). */
  seeds?: number[];
  workers?: number;
  bounds?: Record<string, [number, number]>;
  fpsAxis?: KnobAxis;
  goal?: QosGoal;
}

/** `best:worst` perception rates in Hz, e.g. `20:5`. */
const fpsAxisArg: ArgParser<KnobAxis> = (text) => {
  const parts = text.split(":");
  const [best, worst] = parts.map((s) => (s.trim() === "" ? Number.NaN : Number(s)));
  if (parts.length !== 2 || !(best > 0 && worst > 0 && Number.isFinite(best) && Number.isFinite(worst)) || best === worst) {
    throw new InvalidArgumentError("expected best:worst perception rates in Hz (positive, different), e.g. 20:5");
  }
  return { name: "fps", best, worst };
};

/** Adds the calibration flags to `command` (their defaults apply without `--config`; with it, they override its fields). */
export function addCalibrateFlags(command: Command): Command {
  const apps = applicationNames().map((name) => getApplication(name));
  const networks = apps.flatMap((a) => a.networks);
  command
    .option("--world <preset>", `world preset name or file (default ${apps.map((a) => a.world.default).join(" | ")})`)
    .option(
      "--metrics <list>",
      `nn:metric per axis; ${networks.map((n) => `${n.name}: ${Object.keys(n.closedForm.metrics).join(", ")}`).join("; ")} (default ${apps.map(defaultMetricsFlag).join(" | ")})`,
    )
    .addOption(option("--iters <n>", "QoS evaluation budget", intArg(1, 100_000), undefined, "25"))
    .addOption(option("--precision <f>", "resolution as a fraction of each axis", fractionArg({ open: true }), undefined, "0.05"));
  seedOptions(command, undefined, "5, or the config's calibration.seeds")
    .addOption(option("--workers <n>", "worker threads for the seeds", intArg(1, 256), undefined, "2"))
    .option(
      "--bounds <list>",
      `nn:best:worst per NN, in metric units (default ${networks.map((n) => `${n.name} ${n.closedForm.bounds.join(":")}`).join(", ")})`,
    )
    .addOption(option("--fps-axis <best:worst>", "also search the perception rate in Hz, e.g. 20:5", fpsAxisArg))
    .addOption(
      option(
        "--goal <json>",
        `QoS goal (default: the application's, ${apps.map((a) => JSON.stringify(a.goal)).join(" | ")})`,
        checkedJsonArg(checkQosGoal),
      ),
    );
  return command;
}

/**
 * Resolves the application-dependent calibration flags against `spec`;
 * errors are one line naming the flag. `defaultSeeds` is the seed count used
 * when `--seeds` is not given (undefined: leave the seeds to the config).
 */
export function parseCalibrateFlags(o: CalibrateFlagValues, spec: ApplicationSpec, defaultSeeds?: number): CalibrateFlags {
  const pipeline = spec.name;
  const nns: Record<string, NetworkSpec> = Object.fromEntries(spec.networks.map((n) => [n.name, n]));
  const count = o.seeds ?? defaultSeeds;
  if (count === undefined && o.firstSeed !== 0) throw new InputError("--first-seed", "needs --seeds when the config gives the seeds");
  return {
    world: o.world,
    metrics: o.metrics === undefined ? undefined : parseMetrics(o.metrics, pipeline, nns),
    iters: o.iters,
    precision: o.precision,
    seeds: count === undefined ? undefined : seedRange(count, o.firstSeed),
    workers: o.workers,
    bounds: o.bounds === undefined ? undefined : parseBounds(o.bounds, pipeline, nns),
    fpsAxis: o.fpsAxis,
    goal: o.goal,
  };
}

/** One `nn:metric` entry: the metric by its short flag name or any registry name of one of the network's closed-form metrics. */
function parseMetrics(value: string, pipeline: string, nns: Record<string, NetworkSpec>): [string, FlagMetric][] {
  const out: [string, FlagMetric][] = [];
  for (const entry of value.split(",")) {
    const [nn, name, ...rest] = entry.split(":");
    if (name === undefined || rest.length > 0) throw new InputError("--metrics", `expected nn:metric entries, e.g. heading:l1, got "${entry}"`);
    const network = nns[nn];
    if (network === undefined)
      throw new InputError("--metrics", `unknown NN "${nn}" for the ${pipeline} pipeline; expected ${Object.keys(nns).join(", ")}`);
    const table: Readonly<Record<string, FlagMetric>> = network.closedForm.metrics;
    const canonical = metricRegistry.has(name) ? metricRegistry.canonical(name, "--metrics") : undefined;
    const metric = table[name] ?? Object.values(table).find((m) => m === canonical);
    if (metric === undefined) throw new InputError("--metrics", `unknown metric "${name}" for ${nn}; expected ${Object.keys(table).join(", ")}`);
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
    if (network === undefined)
      throw new InputError("--bounds", `unknown NN "${nn}" for the ${pipeline} pipeline; expected ${Object.keys(nns).join(", ")}`);
    const [best, worst] = [parts[1], parts[2]].map((s) => (s.trim() === "" ? Number.NaN : Number(s)));
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
