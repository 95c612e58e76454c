import type { Command } from "commander";
import { register as sim } from "./sim.ts";
import { register as inspect } from "./inspect.ts";
import { register as run } from "./run.ts";
import { register as approx } from "./approx.ts";
import { register as dataset } from "./dataset.ts";
import { register as train } from "./train.ts";
import { register as calibrate } from "./calibrate.ts";
import { register as optimize } from "./optimize.ts";
import { register as levels } from "./levels.ts";

/** Registers one subcommand on the program. */
export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [sim, inspect, run, approx, levels, dataset, train, calibrate, optimize];
