import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InputError } from "../common/index.ts";
import { parseWorldPreset, type WorldPreset } from "./WorldPreset.ts";

const PRESET_DIR = fileURLToPath(new URL("./presets/", import.meta.url));

/** Names of the presets shipped in `worlds/presets/` (without `.json`). */
export function listWorldPresets(): string[] {
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/**
 * Loads and validates a world preset.
 * @param nameOrPath a shipped preset name (`cropfield-straight`, `cropfield-curved`, `gem-track`)
 *   or a path to a JSON file.
 * @throws InputError when the file is missing, is not JSON, or fails validation (naming the field and range).
 */
export function loadWorldPreset(nameOrPath: string): WorldPreset {
  const shipped = `${PRESET_DIR}${nameOrPath}.json`;
  const file = !nameOrPath.includes("/") && !nameOrPath.endsWith(".json") && existsSync(shipped) ? shipped : nameOrPath;
  if (!existsSync(file)) {
    throw new InputError(nameOrPath, `no such world preset file; shipped presets: ${listWorldPresets().join(", ")}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
  return parseWorldPreset(raw, file === shipped ? `${nameOrPath}.json` : file);
}
