import { NameRegistry } from "../../common/index.ts";
import { maxMinFps, minUtilization, type Objective } from "./Objective.ts";

/** What an objective may need to know about the application. */
export interface ObjectiveSettings {
  /** Perception rate (Hz) assumed when no `fps` knob is searched. */
  fps: number;
}

/** Every guided-tuning objective by name, as configs and reports spell it. */
export const objectiveRegistry = new NameRegistry<(settings: ObjectiveSettings) => Objective>("objective").register(
  { name: maxMinFps.name, description: "maximize the slowest NN's batch-1 FPS", value: () => maxMinFps },
  { name: "min-utilization", description: "minimize compute utilization Σ latency × rate", value: (s) => minUtilization(s.fps) },
);

/**
 * An objective by name.
 * @throws InputError naming `where` and the known objectives when the name is unknown.
 */
export function objectiveByName(name: string, settings: ObjectiveSettings, where = "objective"): Objective {
  return objectiveRegistry.get(name, where)(settings);
}
