import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_LOSS, lossRegistry } from "../../optimizer/index.ts";
import { InputError } from "../../common/index.ts";
import { applicationNames, checkApplicationWorld, type ApplicationSpec } from "../../pipelines/index.ts";
import { namedParser, registryOption } from "./cliOption.ts";

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

/**
 * `--pipeline <name>`: a registered application, checked when parsed (after
 * any test or plugin registered its own); `--help` lists those registered
 * when the command was built.
 */
export function applicationOption(): Option {
  const o = new Option("--pipeline <name>", `application: ${applicationNames().join(" | ")}`).makeOptionMandatory();
  return o.argParser(
    namedParser(o.long!, (text) => {
      if (!applicationNames().includes(text))
        throw new InvalidArgumentError(`unknown application; expected one of ${applicationNames().join(", ")}`);
      return text;
    }),
  );
}

/** Fails early, naming `--world`, on a missing world or one of the wrong kind for the application. */
export function checkWorldOption(spec: ApplicationSpec, world: string): void {
  try {
    checkApplicationWorld(spec, world, "--world");
  } catch (e) {
    if (e instanceof InputError && e.where !== "--world") throw new InputError("--world", e.message);
    throw e;
  }
}
