import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Folder of the presets shipped with the package (`worlds/presets/*.json`). */
export const PRESET_DIR = fileURLToPath(new URL("./presets/", import.meta.url));

/** Names of the presets shipped in `worlds/presets/` (without `.json`). */
export function listWorldPresets(): string[] {
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}
