import type { Option } from "commander";
import { DEFAULT_LOSS, lossRegistry } from "../../optimizer/index.ts";
import { registryOption } from "./cliOption.ts";

/**
 * `--loss <name>` over the loss registry, the same in every command that
 * trains; unset, the command uses `DEFAULT_LOSS` for its dataset's targets.
 */
export function lossOption(description = "training loss"): Option {
  const defaults = Object.entries(DEFAULT_LOSS)
    .map(([target, loss]) => `${loss} for ${target === "mask" ? "masks" : "label vectors"}`)
    .join(", ");
  return registryOption("--loss <name>", `${description} (default: ${defaults})`, lossRegistry);
}
