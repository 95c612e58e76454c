import { readFileSync } from "node:fs";
import { InputError } from "../../common/index.ts";
import { Constraints } from "../../optimizer/index.ts";

/** Reads a constraints.json; errors name the file. */
export function readConstraints(path: string): Constraints {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new InputError(path, `cannot read the constraints: ${(e as Error).message}`);
  }
  return Constraints.fromJSON(json, path);
}
