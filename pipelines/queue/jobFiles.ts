import { listWorldPresets } from "../../worlds/index.ts";
import type { QosTask } from "../qos/QosTask.ts";
import type { ContentStore } from "./ContentStore.ts";
import { CONTENT_REF } from "./QueueJob.ts";

/** Maps each file a task reads (ONNX models, a world preset file) through `map`, returning a new task. */
async function mapFiles(task: QosTask, map: (path: string, where: string) => Promise<string>): Promise<QosTask> {
  const config = { ...task.config };
  if (!isShippedPreset(config.world)) config.world = await map(config.world, "run.world");
  if (config.perception.kind === "onnx") {
    const p = { ...config.perception };
    p.model = await map(p.model, "run.perception.model");
    if (p.distanceModel !== undefined) p.distanceModel = await map(p.distanceModel, "run.perception.distanceModel");
    config.perception = p;
  }
  return { ...task, config };
}

/** A shipped preset name resolves the same on every machine with the same version; anything else is a file. */
function isShippedPreset(world: string): boolean {
  return !world.includes("/") && !world.endsWith(".json") && listWorldPresets().includes(world);
}

/**
 * Submitter side: uploads the task's files and names them by content; also
 * returns a function that puts the submitter's paths back into a worker's
 * message (which names its cached copies), so errors name the user's file.
 */
export async function filesToRefs(task: QosTask, store: ContentStore): Promise<{ task: QosTask; localize: (message: string) => string }> {
  const names = new Map<string, string>();
  const mapped = await mapFiles(task, async (path, where) => {
    const ref = await store.put(path, where);
    names.set(ref.slice(CONTENT_REF.length), path);
    return ref;
  });
  const localize = (message: string) => {
    let m = message;
    // A cached copy is <cache dir>/<sha256><ext>, the ref without its prefix.
    for (const [file, path] of names) m = m.replace(new RegExp(`[^\\s"'()]*${file.replace(/\./g, "\\.")}`, "g"), () => path);
    return m;
  };
  return { task: mapped, localize };
}

/** Worker side: replaces content references by paths in the local cache, downloading what is missing. */
export function refsToFiles(task: QosTask, store: ContentStore, cacheDir: string): Promise<QosTask> {
  return mapFiles(task, (ref) => store.get(ref, cacheDir));
}
