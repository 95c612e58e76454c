import { existsSync, statSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import { z } from "zod";
import { InputError, type NameRegistry } from "../../common/index.ts";

/**
 * A commander argument parser: the option's text in, its value out. Throws
 * commander's `InvalidArgumentError` with what was expected; the option
 * factories of `cliOption.ts` turn that into an `InputError` naming the flag
 * (`--seeds: expected an integer in [1, 100000], got "x"`), and a plain
 * commander `.argParser()` reports it in commander's words.
 */
export type ArgParser<T> = (text: string) => T;

/**
 * The core of every parser here: convert the text (`convert` may throw an
 * InvalidArgumentError for text that is not even the right shape), then
 * validate with a zod schema; the first issue becomes the message, prefixed
 * by its path inside JSON values (`collisions: expected a number`).
 */
export function zodArg<S extends z.ZodType>(schema: S, convert: (text: string) => unknown = (text) => text): ArgParser<z.output<S>> {
  return (text) => {
    const r = schema.safeParse(convert(text));
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new InvalidArgumentError(issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message);
  };
}

/** Text → number; blank text becomes NaN so that every schema rejects it. */
function toNumber(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

function toJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(`not valid JSON (${(e as Error).message})`);
  }
}

/** "[lo, hi]", "≥ lo" or "≤ hi" for messages. */
function rangeText(min: number, max: number): string {
  if (Number.isFinite(min) && Number.isFinite(max)) return ` in [${min}, ${max}]`;
  if (Number.isFinite(min)) return ` ≥ ${min}`;
  if (Number.isFinite(max)) return ` ≤ ${max}`;
  return "";
}

/** A zod schema of an integer in [min, max], with a message saying so. */
export function intSchema(min = -Infinity, max = Infinity): z.ZodType<number> {
  const error = `expected an integer${rangeText(min, max)}`;
  return z.number({ error }).refine((x) => Number.isSafeInteger(x) && x >= min && x <= max, { error });
}

/** A zod schema of a finite number in [min, max], with a message saying so. */
export function numberSchema(min = -Infinity, max = Infinity): z.ZodType<number> {
  const error = `expected a number${rangeText(min, max)}`;
  return z.number({ error }).refine((x) => Number.isFinite(x) && x >= min && x <= max, { error });
}

/** A zod schema of a number > 0. */
export const positiveSchema: z.ZodType<number> = z
  .number({ error: "expected a number > 0" })
  .refine((x) => Number.isFinite(x) && x > 0, { error: "expected a number > 0" });

/**
 * A number validated by `schema`: any zod schema of a number, e.g. a field of
 * a config schema, so the flag and the config field accept the same values
 * with the same message (`numberArg(RunConfigSchema.shape.fps)`).
 */
export function numberArg<S extends z.ZodType<number | undefined>>(schema: S): ArgParser<Exclude<z.output<S>, undefined>>;
export function numberArg(): ArgParser<number>;
export function numberArg(schema: z.ZodType = numberSchema()): ArgParser<unknown> {
  return zodArg(schema, toNumber);
}

/** An integer in [min, max]. @default any safe integer */
export function intArg(min?: number, max?: number): ArgParser<number> {
  return numberArg(intSchema(min, max));
}

/** A number > 0. */
export function positiveArg(): ArgParser<number> {
  return numberArg(positiveSchema);
}

/**
 * A fraction: `[0, 1)` by default (an amount removed), or `(0, 1)` with
 * `open: true` (a precision, a split).
 */
export function fractionArg(options: { open?: boolean } = {}): ArgParser<number> {
  const open = options.open === true;
  const error = `expected a fraction in ${open ? "(0, 1)" : "[0, 1)"}`;
  return numberArg(z.number({ error }).refine((x) => (open ? x > 0 : x >= 0) && x < 1, { error }));
}

/** A JSON value validated by `schema`. */
export function jsonArg<S extends z.ZodType>(schema: S): ArgParser<z.output<S>> {
  return zodArg(schema, toJson);
}

/**
 * A JSON value checked by a function of the library (one that throws an
 * `InputError` naming the field, e.g. `checkQosGoal`), so the flag accepts
 * exactly what the API does.
 */
export function checkedJsonArg<T>(check: (value: T) => void): ArgParser<T> {
  return (text) => {
    const value = toJson(text) as T;
    try {
      check(value);
    } catch (e) {
      if (e instanceof InputError) throw new InvalidArgumentError(e.message);
      throw e;
    }
    return value;
  };
}

/**
 * A comma-separated list, each item parsed by `item` (its message is
 * prefixed with the item at fault). @param options.min fewest items. @default 1
 */
export function listArg<T>(item: ArgParser<T>, options: { min?: number } = {}): ArgParser<T[]> {
  const min = options.min ?? 1;
  return (text) => {
    const parts = text.split(",").map((s) => s.trim());
    if (text.trim() === "" || parts.length < min) throw new InvalidArgumentError(`expected at least ${min} comma-separated item(s)`);
    return parts.map((part) => {
      try {
        return item(part);
      } catch (e) {
        if (e instanceof InvalidArgumentError) throw new InvalidArgumentError(`"${part}": ${e.message}`);
        throw e;
      }
    });
  };
}

/** A name (or an older alias) from a registry, returned as its canonical name. */
export function registryArg(registry: NameRegistry<unknown>): ArgParser<string> {
  return (text) => {
    if (!registry.has(text)) throw new InvalidArgumentError(`unknown ${registry.what}; expected one of ${registry.names().join(", ")}`);
    return registry.canonical(text, registry.what);
  };
}

/** A path that must exist, as a file (`kind: "file"`) or a folder. */
export function existingPathArg(kind: "file" | "folder"): ArgParser<string> {
  return (text) => {
    if (!existsSync(text)) throw new InvalidArgumentError(`no such ${kind}`);
    if (statSync(text).isDirectory() !== (kind === "folder"))
      throw new InvalidArgumentError(`expected a ${kind}, not a ${kind === "file" ? "folder" : "file"}`);
    return text;
  };
}
