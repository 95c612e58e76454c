/**
 * `npm run levels:zoo [-- --only <names>] [--data <dir>] [--parallel <n>] [--latency-only]`
 *
 * Pruning levels with learning-rate rewinding for every trained zoo model
 * (`models/zoo/<name>.onnx`, skipped when absent): `buildLevels` with
 * {@link zooLevelRecipe} on the model's own dataset (rendered by
 * `npm run train:zoo`). Level directories go to `<data>/levels/<hash>/` and
 * are reused by hash (a second run trains nothing; a killed run resumes at
 * the first missing level). The summary of each set — per level FLOPs
 * ratio, interleaved latency and speed-up, validation and test metrics —
 * is written to `models/zoo/<name>.levels.json`, and the tables of every
 * summary present to `models/zoo/LEVELS.md`. Models run `--parallel` at a time
 * (default 2), each in its own process. Run it under `nice -n 19`.
 *
 * Each level's latency is measured as it is made, i.e. while the other
 * models train: `--latency-only` measures every level of the built sets again
 * (interleaved with the original, one model at a time) and rewrites the
 * summaries. Run it on a quiet machine.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../common/index.ts";
import { buildLevels, readModel, remeasureLevelLatency, type LevelSet } from "../optimizer/index.ts";
import { ZOO, type ZooModel } from "./models/zoo.ts";
import { zooMetrics, zooPrimaryMetric, zooSplits } from "./models/zooData.ts";
import { CHILD_FLAG, runPerModel } from "./models/runPerModel.ts";
import { zooLevelRecipe } from "./models/zooLevels.ts";
import { zooLevelTables, type ZooLevelSummary } from "./models/zooLevelTables.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataRoot = flag("--data") ?? "data/zoo";
const zooDir = flag("--models") ?? "models/zoo";
const names = flag("--only")?.split(",");
const parallel = Number(flag("--parallel") ?? 2);
const latencyOnly = args.includes("--latency-only");
if (names)
  for (const n of names)
    if (!ZOO.some((m) => m.name === n)) throw new Error(`--only: unknown zoo model "${n}" (zoo: ${ZOO.map((m) => m.name).join(", ")})`);
const selected = ZOO.filter((m) => (!names || names.includes(m.name)) && existsSync(join(zooDir, `${m.name}.json`)));

async function levelsOf(m: ZooModel): Promise<void> {
  const t0 = performance.now();
  const data = await zooSplits(dataRoot, m.task);
  const primary = zooPrimaryMetric(m.task);
  const built = await buildLevels({
    model: await readModel(join(zooDir, `${m.name}.onnx`)),
    train: data.train,
    validation: data.val,
    test: data.test,
    recipe: zooLevelRecipe(m),
    evaluate: (nn, ds) => zooMetrics(m.task, nn, ds),
    primary,
    root: join(dataRoot, "levels"),
    onLevel: (r, reused) =>
      console.log(
        `${m.name} level ${r.level}: FLOPs ${(r.flopsRatio * 100).toFixed(1)} %, ${r.latency.medianMs.toFixed(3)} ms (${r.latency.speedup.toFixed(2)}×), ` +
          `${primary.name} ${r.metrics[primary.name].toPrecision(4)}${reused ? " (reused)" : ` (${r.seconds.toFixed(0)} s)`}`,
      ),
  });
  await writeSummary(m, built.dir, built.set);
  console.log(
    `${m.name}: ${built.set.levels.length - 1} levels in ${built.dir} (${built.trainedLevels} trained, ${((performance.now() - t0) / 60_000).toFixed(1)} min)`,
  );
}

async function writeSummary(m: ZooModel, dir: string, set: LevelSet): Promise<void> {
  await writeFileAtomic(join(zooDir, `${m.name}.levels.json`), JSON.stringify({ model: `${m.name}.onnx`, dir, ...set }, null, 2) + "\n");
}

async function remeasure(m: ZooModel): Promise<void> {
  const summary = join(zooDir, `${m.name}.levels.json`);
  if (!existsSync(summary)) throw new Error(`--latency-only: ${summary} does not exist (run npm run levels:zoo first)`);
  const { dir, set } = await remeasureLevelLatency(summary, {
    levelsRoot: join(dataRoot, "levels"),
    onLevel: (r) => console.log(`${m.name} level ${r.level}: ${r.latency.medianMs.toFixed(3)} ms (${r.latency.speedup.toFixed(2)}×)`),
  });
  await writeSummary(m, dir, set);
}

const t0 = performance.now();
if (latencyOnly) for (const m of selected) await remeasure(m);
else
  await runPerModel(
    selected.map((m) => m.name),
    { parallel, args: ["--data", dataRoot, "--models", zooDir], inProcess: (name) => levelsOf(ZOO.find((m) => m.name === name)!) },
  );
// The tables are the parent's: a child reading the summaries while another child writes its own read half a file.
if (!args.includes(CHILD_FLAG)) {
  const summaries: ZooLevelSummary[] = [];
  for (const m of ZOO) {
    const file = join(zooDir, `${m.name}.levels.json`);
    if (existsSync(file)) summaries.push(readJsonFile(file) as ZooLevelSummary);
  }
  if (summaries.length > 0) await writeFile(join(zooDir, "LEVELS.md"), zooLevelTables(summaries));
}
console.log(
  `levels:zoo done in ${((performance.now() - t0) / 60_000).toFixed(1)} min (${selected.map((m) => m.name).join(", ") || "no trained zoo models"})`,
);
