import { readJsonFile } from "../../common/index.ts";
import { Constraints } from "../../optimizer/index.ts";

/** Reads a constraints.json; errors name the file. */
export function readConstraints(path: string): Constraints {
  return Constraints.fromJSON(readJsonFile(path), path);
}
