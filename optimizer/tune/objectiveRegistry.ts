import { NameRegistry } from "../../common/index.ts";
import { minFps, utilization, type Objective } from "./Objective.ts";

/** What an objective may need to know about the application. */
export interface ObjectiveSettings {
  /** Perception rate (Hz) assumed when no `fps` knob is searched. */
  fps: number;
}

/** Every guided-tuning objective by name, as configs, specs and reports spell it. */
export const objectiveRegistry = new NameRegistry<(settings: ObjectiveSettings) => Objective>("objective").register(
  { name: minFps.name, description: "maximize the pipeline FPS: min over the NNs of batch-1 FPS", value: () => minFps },
  {
    name: "utilization",
    description: "minimize compute utilization: Σ over the NNs of required rate × latency (rate: the fps knob)",
    value: (s) => utilization(s.fps),
  },
);

/**
 * An objective by name.
 * @throws InputError naming `where` and the known objectives when the name is unknown.
 */
export function objectiveByName(name: string, settings: ObjectiveSettings, where = "objective"): Objective {
  return objectiveRegistry.get(name, where)(settings);
}
