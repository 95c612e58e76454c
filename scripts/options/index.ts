/**
 * The CLI's one option layer: commander options whose values are parsed and
 * checked by zod-backed argument parsers at the command line, so a bad value
 * stops the command before it creates or writes anything, with one line
 * naming the flag. Commands build their options only from here; options
 * over the library's registries (`--loss`, `--pipeline`) are in
 * `namedOptions.ts`, outside this barrel, so that a command that needs none
 * of them does not load the library to start.
 */
export {
  checkedJsonArg,
  existingPathArg,
  fractionArg,
  intArg,
  intSchema,
  jsonArg,
  listArg,
  numberArg,
  numberSchema,
  positiveArg,
  positiveSchema,
  registryArg,
  zodArg,
  type ArgParser,
} from "./argParsers.ts";
export {
  argument,
  choiceArgument,
  choiceOption,
  deprecatedAlias,
  namedParser,
  option,
  registryOption,
  seedOptions,
  SEED_CONVENTION,
  type SeedOptionValues,
} from "./cliOption.ts";
