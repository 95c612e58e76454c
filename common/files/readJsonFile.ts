import { readFileSync } from "node:fs";
import { InputError } from "../errors.ts";

/**
 * The parsed contents of a JSON file. A file that cannot be read or is not JSON is an
 * {@link InputError} naming it, so a command reports the file at fault in one line.
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(file, `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
}
