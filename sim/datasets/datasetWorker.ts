/** Piscina worker of {@link generateDataset}: renders and writes one world per task. */
import { writeWorldSamples, type LabelItem, type WorldTask } from "./writeWorldSamples.ts";

export default function runWorldTask(task: WorldTask): Promise<LabelItem[]> {
  return writeWorldSamples(task);
}
