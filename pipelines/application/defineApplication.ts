import type { WorldKind } from "../../worlds/index.ts";
import type { PerceptionSource } from "../perception/PerceptionSource.ts";
import type { ApplicationSpec } from "./ApplicationSpec.ts";

/**
 * Checks a spec against its world kind `K` and perception source `S`, and
 * returns it typed for the registry. The widening is sound because the run
 * pipeline calls `loop` only with a world it has checked to be of
 * `spec.world.kind` and with the source the spec's own `createPerception`
 * made.
 *
 * @example
 * export const myApp = defineApplication<"cropfield", RowPerceptionSource>({ name: "my-app", module: import.meta.url, … });
 */
export function defineApplication<K extends WorldKind, S extends PerceptionSource<unknown>>(spec: ApplicationSpec<K, S>): ApplicationSpec {
  return spec as unknown as ApplicationSpec;
}
