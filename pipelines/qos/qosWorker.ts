/**
 * QoS worker: runs one (configuration, seed) closed loop and returns its
 * summary. Built worlds are kept per (world, seed) for the worker's life
 * (bounded), since the optimizer evaluates the same seeds over and over.
 */
import { InputError } from "../../common/index.ts";
import { buildWorld, loadWorldScenario, type BuiltWorld, type WorldScenario } from "../../worlds/index.ts";
import { loadApplication } from "../application/applicationRegistry.ts";
import { runPipeline } from "../runPipeline.ts";
import type { QosTask, QosTaskResult } from "./QosTask.ts";

const MAX_WORLDS = 32;
const scenarios = new Map<string, WorldScenario>();
const worlds = new Map<string, BuiltWorld>();

function worldFor(name: string, seed: number): BuiltWorld {
  const key = `${name}\u0000${seed}`;
  let w = worlds.get(key);
  if (w) {
    // Refresh recency (Map iteration order is insertion order).
    worlds.delete(key);
    worlds.set(key, w);
    return w;
  }
  let scenario = scenarios.get(name);
  if (!scenario) {
    scenario = loadWorldScenario(name);
    scenarios.set(name, scenario);
  }
  w = buildWorld(scenario.draw(seed), seed);
  worlds.set(key, w);
  if (worlds.size > MAX_WORLDS) worlds.delete(worlds.keys().next().value!);
  return w;
}

/** Runs one task; the default export is what piscina calls. Errors other than bad input propagate. */
export default async function runQosTask(task: QosTask): Promise<QosTaskResult> {
  try {
    await loadApplication(task.config.pipeline, task.module);
    const world = worldFor(task.config.world, task.seed);
    const { summary, trajectory, perception } = await runPipeline(task.config, task.seed, {
      world,
      stopAfterCollisions: task.stopAfterCollisions,
      recordPerception: task.recording,
    });
    if (task.trajectory || task.recording) summary.trajectory = trajectory.values().slice();
    if (perception) summary.perception = perception.values().slice();
    return { summary };
  } catch (err) {
    if (err instanceof InputError) return { inputError: { where: err.where, message: err.message } };
    throw err;
  }
}
