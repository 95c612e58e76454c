import type { Command } from "commander";

/** Registers one subcommand on the program. */
export type RegisterCommand = (program: Command) => void;

/** Every subcommand, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [];
