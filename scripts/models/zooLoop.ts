import { join } from "node:path";
import { runPipeline, type PerceptionConfigInput, type RunSummary } from "../../pipelines/index.ts";
import { datasetSplitWorlds, datasetWorld, datasetWorldSeed } from "../../sim/index.ts";
import { zooDatasetOf, type ZooModel } from "./zoo.ts";

/** Which perception a loop check drives with. */
export type ZooLoopPerception = { kind: "oracle" } | { kind: "zoo"; heading: ZooModel; distance: ZooModel } | { kind: "zoo"; lanenet: ZooModel };

/**
 * The random worlds of the loop check: first the test split's world seeds of
 * the zoo dataset, then seeds past the dataset's last world — drawn from the
 * same generator distribution (`randomCropFieldPreset` / `randomTrackPreset`)
 * and never rendered into any split, so no zoo model has seen them.
 */
export function zooLoopWorldSeeds(pipeline: "cropfollow" | "gem", count: number): number[] {
  const ds = zooDatasetOf(pipeline === "cropfollow" ? "heading" : "lanenet");
  const nTest = datasetSplitWorlds(ds.worlds).test;
  const seeds = Array.from({ length: nTest }, (_, i) => datasetWorldSeed(ds.seed, ds.worlds - nTest + i));
  for (let j = 0; seeds.length < count; j++) seeds.push(datasetWorldSeed(ds.seed, ds.worlds + j));
  return seeds.slice(0, count);
}

/** Per-world outcome of {@link zooLoopCheck}. */
export interface ZooLoopResult {
  worldSeed: number;
  collisions: number;
  completed: boolean;
}

/**
 * Closed-loop runs of one application over the random worlds of
 * {@link zooLoopWorldSeeds} (run seed = world seed) with oracle or zoo
 * perception at the zoo's frame size. A world passes with 0 collisions.
 */
export async function zooLoopCheck(
  pipeline: "cropfollow" | "gem",
  perception: ZooLoopPerception,
  worlds: number,
  zooDir = "models/zoo",
): Promise<ZooLoopResult[]> {
  const config: PerceptionConfigInput =
    perception.kind === "oracle"
      ? { kind: "oracle" }
      : "lanenet" in perception
        ? { kind: "onnx", model: join(zooDir, `${perception.lanenet.name}.onnx`) }
        : {
            kind: "onnx",
            model: join(zooDir, `${perception.heading.name}.onnx`),
            distanceModel: join(zooDir, `${perception.distance.name}.onnx`),
          };
  const out: ZooLoopResult[] = [];
  for (const seed of zooLoopWorldSeeds(pipeline, worlds)) {
    const world = datasetWorld(pipeline === "cropfollow" ? "cropfollow" : "gem", seed);
    const preset = pipeline === "cropfollow" ? "cropfield-straight" : "gem-track";
    const { summary }: { summary: RunSummary } = await runPipeline({ pipeline, world: preset, perception: config }, seed, {
      world,
      stopAfterCollisions: 1,
    });
    out.push({ worldSeed: seed, collisions: summary.collisions, completed: summary.completed });
  }
  return out;
}

/** Fraction of worlds with 0 collisions. */
export function passRate(results: readonly ZooLoopResult[]): number {
  return results.filter((r) => r.collisions === 0).length / Math.max(1, results.length);
}
