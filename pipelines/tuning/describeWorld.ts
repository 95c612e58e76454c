import { loadWorldScenario } from "../../worlds/index.ts";

/** A world for reports: a preset by name, or a distribution said to be one (each seed draws its own world). */
export function describeWorld(world: string): string {
  return loadWorldScenario(world).fixed ? world : `${world} (a distribution: each seed draws its own world)`;
}
