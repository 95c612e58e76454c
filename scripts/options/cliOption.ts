import { Argument, InvalidArgumentError, Option, type Command } from "commander";
import { InputError, type NameRegistry } from "../../common/index.ts";
import { intArg, registryArg, type ArgParser } from "./argParsers.ts";

/**
 * `parse`, with its complaints turned into an {@link InputError} naming
 * `where` (the flag or argument) and the text given, so that the CLI prints
 * them as one line like every other input error.
 */
export function namedParser<T>(where: string, parse: ArgParser<T>): ArgParser<T> {
  return (text) => {
    try {
      return parse(text);
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      // Messages that quote the value already (a field inside a JSON value) are not given it twice.
      throw new InputError(where, /\bgot\b/.test(e.message) ? e.message : `${e.message}, got "${text}"`);
    }
  };
}

/**
 * One option, parsed at the command line by `parse` (so a bad value fails
 * before the command does anything, with one line naming the flag). The
 * default is the parsed value, shown in `--help`; `defaultText` replaces it
 * there when the default depends on something else ("CPU count").
 *
 * @example
 * cmd.addOption(option("--seeds <k>", "number of seeds", intArg(1), 5));
 */
export function option<T>(flags: string, description: string, parse?: ArgParser<T>, defaultValue?: T, defaultText?: string): Option {
  const o = new Option(flags, description);
  if (parse) o.argParser(namedParser(o.long ?? o.name(), parse));
  if (defaultValue !== undefined) o.default(defaultValue, defaultText);
  else if (defaultText !== undefined) o.description = `${description} (default: ${defaultText})`;
  return o;
}

/** A positional argument parsed by `parse`; errors name it (`<model>: no such file: x.onnx`). */
export function argument<T>(name: string, description: string, parse: ArgParser<T>): Argument {
  return new Argument(name, description).argParser(namedParser(name, parse));
}

function oneOf(choices: readonly string[]): ArgParser<string> {
  return (text) => {
    if (!choices.includes(text)) throw new InvalidArgumentError(`expected one of ${choices.join(", ")}`);
    return text;
  };
}

/** An option taking one of fixed `choices` (listed in `--help`, checked when parsed). */
export function choiceOption(flags: string, description: string, choices: readonly string[], defaultValue?: string): Option {
  // choices() sets the list help prints; argParser() then replaces commander's check with one naming the flag.
  const o = new Option(flags, description).choices(choices);
  o.argParser(namedParser(o.long ?? o.name(), oneOf(choices)));
  if (defaultValue !== undefined) o.default(defaultValue);
  return o;
}

/** A positional argument taking one of fixed `choices`. */
export function choiceArgument(name: string, description: string, choices: readonly string[]): Argument {
  return new Argument(name, description).choices(choices).argParser(namedParser(name, oneOf(choices)));
}

/**
 * An option naming an entry of a registry (loss, metric, objective): `--help`
 * lists the canonical names; older aliases are accepted and the option's
 * value is always the canonical name.
 */
export function registryOption(flags: string, description: string, registry: NameRegistry<unknown>, defaultValue?: string): Option {
  const o = new Option(flags, description).choices(registry.names());
  o.argParser(namedParser(o.long ?? o.name(), registryArg(registry)));
  if (defaultValue !== undefined) o.default(defaultValue);
  return o;
}

/**
 * Keeps an old spelling of a flag working: `flags` (e.g. `--batch <n>`) is
 * hidden from `--help`, parsed as `target` (e.g. `--batch-size`) is, sets
 * that option's value, and prints a one-line deprecation notice on stderr.
 * Call after `target` is added.
 */
export function deprecatedAlias(command: Command, flags: string, target: string): Command {
  const to = command.options.find((o) => o.long === target);
  if (!to) throw new Error(`deprecatedAlias: ${command.name()} has no option ${target}`);
  const alias = new Option(flags).hideHelp();
  if (to.parseArg) alias.argParser(to.parseArg as ArgParser<unknown>);
  command.addOption(alias);
  command.on(`option:${alias.name()}`, () => {
    process.stderr.write(`approxcaliper ${command.name()}: ${alias.long} is deprecated; use ${target}\n`);
    command.setOptionValueWithSource(to.attributeName(), command.getOptionValue(alias.attributeName()), "cli");
  });
  return command;
}

/** The seed convention, as `--help` states it. */
export const SEED_CONVENTION = "seeds count from 0: K seeds from --first-seed f are f…f+K−1";

/** What {@link seedOptions} adds to a command's options. */
export interface SeedOptionValues {
  /** Number of seeds K (undefined when the flag has no default and is not given). */
  seeds?: number;
  /** First seed. */
  firstSeed: number;
}

/**
 * `--seeds <k>` and `--first-seed <n>`, the same on every command that runs
 * several seeds; read them with `seedRange(o.seeds, o.firstSeed)`.
 *
 * @param count default K; undefined leaves `--seeds` unset unless given (`defaultText` then says where it comes from).
 */
export function seedOptions(command: Command, count: number | undefined, defaultText?: string): Command {
  return command
    .addOption(option("--seeds <k>", `number of seeds K (${SEED_CONVENTION})`, intArg(1, 100_000), count, defaultText))
    .addOption(option("--first-seed <n>", "first seed f", intArg(0), 0));
}
