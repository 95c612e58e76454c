import { z } from "zod";
import { parseInput } from "../common/index.ts";
import { PerceptionConfigSchema } from "./perception/PerceptionConfig.ts";

const num = (lo: number, hi: number, what: string) =>
  z
    .number({ error: `expected a number in [${lo}, ${hi}] (${what})` })
    .refine((x) => Number.isFinite(x) && x >= lo && x <= hi, { error: `expected a number in [${lo}, ${hi}] (${what})` });
const int = (lo: number, hi: number, what: string) =>
  num(lo, hi, what).refine(Number.isInteger, { error: `expected an integer in [${lo}, ${hi}] (${what})` });

/**
 * One closed-loop configuration (everything but the seed). Defaults that
 * depend on the application (fps, speed) stay unset here; the application's
 * spec fills them when the loop runs.
 */
export const RunConfigSchema = z.strictObject({
  /** Name of a registered application (`cropfollow`, `gem`, …; see `applicationNames`), checked when it runs. */
  pipeline: z
    .string({ error: "expected an application name (cropfollow, gem, …)" })
    .min(1, { error: "expected an application name (cropfollow, gem, …)" }),
  /** World preset name or path (see `loadWorldPreset`). */
  world: z.string({ error: "expected a world preset name or path" }).min(1, { error: "expected a world preset name or path" }),
  perception: PerceptionConfigSchema,
  /** Perception rate (frames per second). @default the application's (cropfollow 10, gem 20) */
  fps: num(0.5, 60, "frames per second").optional(),
  /** Perception latency: capture to delivery (s, simulated). @default 0 */
  latency: num(0, 2, "seconds").default(0),
  /** Controller rate (Hz). @default 20 */
  controlHz: num(1, 200, "Hz").default(20),
  /** Cruise speed (m/s). @default the application's (cropfollow 0.6, gem 2.8) */
  speed: num(0.05, 8, "m/s").optional(),
  /** Stop a run after this much simulated time (s). @default 1.6 × the time to cover the row/route at cruise speed + 5 s */
  maxTime: num(1, 3600, "seconds").optional(),
  /** Physics rate (Hz). @default 200 */
  physicsHz: int(100, 2000, "Hz").default(200),
  /** IMU rate (Hz), which is also the fusion rate of CropFollow. @default 100 */
  imuHz: num(10, 1000, "Hz").default(100),
  /** GEM lane-mask resolution for oracle and injected perception (the robot's camera, 90° wide, at that size). @default 160×120 */
  maskSize: z.strictObject({ width: int(16, 2048, "pixels"), height: int(16, 2048, "pixels") }).default({ width: 160, height: 120 }),
});

/** Input form of a {@link RunConfig} (defaults may be omitted). */
export type RunConfigInput = z.input<typeof RunConfigSchema>;
/** A validated run configuration. */
export type RunConfig = z.output<typeof RunConfigSchema>;

/**
 * Validates a run configuration, filling defaults.
 * @throws InputError naming the field (`run.perception.heading.std`, …) and what was expected.
 */
export function parseRunConfig(raw: unknown, where = "run"): RunConfig {
  return parseInput(RunConfigSchema, raw, where, "object");
}
