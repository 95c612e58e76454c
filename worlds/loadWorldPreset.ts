import { InputError } from "../common/index.ts";
import type { WorldPreset } from "./WorldPreset.ts";
import { loadWorldScenario } from "./scenario/WorldScenario.ts";

/**
 * Loads and validates a fixed world preset.
 * @param nameOrPath a shipped preset name (`cropfield-straight`, `cropfield-curved`, `gem-track`)
 *   or a path to a JSON file.
 * @throws InputError when the file is missing, is not JSON, fails validation (naming the field and range),
 *   or describes a distribution of worlds (use `loadWorldScenario` and draw a seed's world from it).
 */
export function loadWorldPreset(nameOrPath: string): WorldPreset {
  const scenario = loadWorldScenario(nameOrPath);
  if (!scenario.fixed) {
    throw new InputError(
      scenario.source,
      "describes a distribution of worlds (ranges or a named distribution), not one world; draw a seed's world with loadWorldScenario(...).draw(seed)",
    );
  }
  return scenario.draw(0);
}
