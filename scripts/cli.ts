/**
 * The `approxcaliper` command line: a thin shell over the library. Each
 * subcommand lives in `scripts/commands/<name>.ts`, exports `register`, and is
 * listed in `scripts/commands/index.ts`.
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

// Load only the command being run: the rest of the program (the simulator, three.js, onnxruntime) is not
// needed for `--help`, `--version` or a mistyped command, and loading it all costs seconds at start-up.
const args = process.argv.slice(2);
const named = args[0] === "help" ? args[1] : args.find((a) => !a.startsWith("-"));
const entry = commands.find((c) => c.name === named);
if (entry) {
  (await entry.load()).register(program);
} else {
  for (const c of commands) program.command(c.name).summary(c.summary);
}

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
