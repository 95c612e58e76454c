/**
 * What every benchmark script shares: its command-line flags (`--json <file>`
 * and numeric options). Repeated measurements are summarised by `median` and `runSpread` (common/stats).
 *
 * Flags are declared where a script reads them (`intFlag("--runs", 5)` at the
 * top of the file); each declaration re-parses the command line with
 * commander and the CLI's option layer over every flag declared so far, so a
 * bad value stops the benchmark with one line naming the flag.
 */
import { Command, Option } from "commander";
import { InputError } from "../../common/index.ts";
import { intArg, option } from "../options/index.ts";

const declared: Option[] = [];

/**
 * The values of every flag declared so far; exits with a one-line message on a bad value. A flag declared
 * again (read where each application is run, say) replaces its earlier declaration.
 */
function parsed(added: Option): Record<string, unknown> {
  const earlier = declared.findIndex((o) => o.long === added.long);
  if (earlier >= 0) declared[earlier] = added;
  else declared.push(added);
  const program = new Command().allowUnknownOption().allowExcessArguments().exitOverride();
  for (const o of declared) program.addOption(o);
  try {
    return program.parse(process.argv).opts();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    console.error(`${process.argv[1] ?? "bench"}: ${e.message}`);
    process.exit(1);
  }
}

/** The value after `--name`, or undefined when the flag is absent. */
export function flag(name: string): string | undefined {
  const o = new Option(`${name} <value>`);
  return parsed(o)[o.attributeName()] as string | undefined;
}

/** A positive-integer flag with a default. Exits naming the flag when the value is not one. */
export function intFlag(name: string, fallback: number): number {
  const o = option(`${name} <n>`, "", intArg(1), fallback);
  return parsed(o)[o.attributeName()] as number;
}

/** `--json <file>`: where the flat metrics object goes, if anywhere. */
export const jsonFile = flag("--json");

/** True when the boolean flag `--name` is given (`--no-x` flags included). */
export function hasFlag(name: string): boolean {
  const o = new Option(name);
  const value = parsed(o)[o.attributeName()];
  return o.negate ? value === false : value === true;
}
