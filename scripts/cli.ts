/**
 * The `approxcaliper` command line: a thin shell over the library. Each
 * subcommand lives in `scripts/commands/<name>.ts` and exports `register`.
 */
import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.ts";
import { packageVersion } from "./packageVersion.ts";

const program = new Command("approxcaliper")
  .description("Headless robot simulation and application-aware NN optimization (ApproxCaliper)")
  .version(packageVersion(), "-V, --version", "print the approxcaliper version")
  .option("--verbose", "print stack traces on errors")
  // Commander's own errors (a bad or missing option value) in the same one-line form as ours.
  .configureOutput({ outputError: (message, write) => write(message.replace(/^error: /, "approxcaliper: ")) })
  .exitOverride();

for (const register of commands) register(program);

const verbose = process.argv.includes("--verbose");

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander already printed its message (or help/version output).
    process.exit(err.exitCode);
  }
  const e = err as Error;
  if (verbose) console.error(e?.stack ?? e);
  else console.error(`approxcaliper: ${String(e?.message ?? e).split("\n")[0]}`);
  process.exit(1);
}
