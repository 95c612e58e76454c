import { check } from "../../common/index.ts";
import { loadWorldScenario } from "../../worlds/index.ts";
import type { ApplicationSpec } from "./ApplicationSpec.ts";

/**
 * Fails early (before any run starts) on an unknown world (a preset or a
 * distribution of worlds) or one of the wrong kind for the application.
 * @throws InputError naming `where`.
 */
export function checkApplicationWorld(spec: ApplicationSpec, world: string, where = "run.world"): void {
  const kind = loadWorldScenario(world).kind;
  check(kind === spec.world.kind, where, () => `the ${spec.name} pipeline needs a ${spec.world.kind} world; ${world} is a ${kind} world`);
}
