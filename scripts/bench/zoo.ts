/**
 * `npm run bench:zoo -- [--json <file>] [--worlds <n>] [--repeats <n>] [--only <names>] [--no-latency | --no-loop]`:
 * the perception zoo (`models/zoo/`, the models whose file and card exist).
 *
 * Per model: `zoo.<model>.mflops` (inspect's totalFlops / 1e6),
 * `zoo.<model>.latencyMs` (batch 1, one thread; all zoo models measured
 * interleaved, `--repeats` times, median of the repeats' medians;
 * `latencySpreadPct`: (max − min) / median of the repeats), `zoo.<model>.metric`
 * (the card's primary test-split metric: heading L1 in degrees, distance L1,
 * lane IoU), `zoo.<model>.loopPassRate` (fraction of `--worlds` random worlds,
 * default 40, with 0 collisions: CropFollow with every (heading, distance)
 * pair of zoo models, a model's rate being its worst pair's, each pair also as
 * `zoo.pair.<heading>+<distance>.loopPassRate`; the GEM with the LaneNet; worlds from
 * `zooLoopWorldSeeds`, never trained on) and from its level set
 * (`models/zoo/<model>.levels.json`, `npm run levels:zoo`) `zoo.<model>.levels`,
 * `minFlopsRatio`, `speedupAtMinFlops` (interleaved with the original) and
 * `lastLosslessLevel` (validation split; `lastLosslessLevelTest` on the test split). Oracle perception's pass rates on the same worlds:
 * `zoo.oracle.cropfollow.loopPassRate`, `zoo.oracle.gem.loopPassRate` (each only when a model of its application is selected). The
 * shipped model of each task on the zoo's test worlds rendered at its own
 * resolution (`shippedOnZooTest`): `zoo.shipped.<task>.metric`, the number a
 * zoo model's `metric` must not be worse than.
 *
 * `--no-latency` / `--no-loop` leave out the latency measurement or the loop
 * checks (and their keys): the loop checks take one core for many minutes and
 * need no quiet machine, the latencies need one for a minute, so on a shared
 * machine the two halves can run at different times.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lastLossless, loadModel, measureInterleaved, type LevelSet, type NnModel } from "../../optimizer/index.ts";
import { ZOO, type ZooModel } from "../models/zoo.ts";
import type { ZooCard } from "../models/zooCard.ts";
import { zooPrimaryMetric } from "../models/zooData.ts";
import { passRate, zooLoopCheck } from "../models/zooLoop.ts";
import { shippedOnZooTest } from "../models/shippedOnZooTest.ts";
import { flag, hasFlag, intFlag, jsonFile } from "./benchArgs.ts";
import { median, readJsonFile } from "../../common/index.ts";

const zooDir = "models/zoo";
const worlds = intFlag("--worlds", 40);
const repeats = intFlag("--repeats", 3);
const only = flag("--only")?.split(",");
const latency = !hasFlag("--no-latency");
const loop = !hasFlag("--no-loop");
const present = ZOO.filter(
  (m) => (!only || only.includes(m.name)) && existsSync(join(zooDir, `${m.name}.onnx`)) && existsSync(join(zooDir, `${m.name}.json`)),
);
if (present.length === 0) throw new Error(`bench:zoo: no trained zoo models in ${zooDir} (run npm run train:zoo)`);

const out: Record<string, number> = {};
const card = (m: ZooModel) => readJsonFile(join(zooDir, `${m.name}.json`)) as ZooCard;

const perRepeat: number[][] = present.map(() => []);
if (latency) {
  const nns: NnModel[] = [];
  for (const m of present) nns.push(await loadModel(join(zooDir, `${m.name}.onnx`), { intraOpThreads: 1 }));
  for (let r = 0; r < repeats; r++) {
    const lat = await measureInterleaved(nns, { warmup: 20, rounds: 10, runsPerBlock: 20 });
    lat.forEach((l, i) => perRepeat[i].push(l.medianMs));
  }
  for (const nn of nns) await nn.dispose();
}

for (const [i, m] of present.entries()) {
  const c = card(m);
  const p = `zoo.${m.name}`;
  out[`${p}.mflops`] = c.flops / 1e6;
  if (latency) {
    out[`${p}.latencyMs`] = median(perRepeat[i]);
    out[`${p}.latencySpreadPct`] = ((Math.max(...perRepeat[i]) - Math.min(...perRepeat[i])) / median(perRepeat[i])) * 100;
  }
  out[`${p}.metric`] = c.metrics.test[zooPrimaryMetric(m.task).name];
  const levelsFile = join(zooDir, `${m.name}.levels.json`);
  if (existsSync(levelsFile)) {
    const set = readJsonFile(levelsFile) as LevelSet;
    const last = set.levels.reduce((a, b) => (b.flopsRatio < a.flopsRatio ? b : a));
    out[`${p}.levels`] = set.levels.length - 1;
    out[`${p}.minFlopsRatio`] = last.flopsRatio;
    out[`${p}.speedupAtMinFlops`] = last.latency.speedup;
    out[`${p}.lastLosslessLevel`] = set.lastLosslessLevel;
    out[`${p}.lastLosslessLevelTest`] = lastLossless(set, "test");
  }
}

for (const task of new Set(present.map((m) => m.task))) {
  out[`zoo.shipped.${task}.metric`] = (await shippedOnZooTest(task))[zooPrimaryMetric(task).name];
}

const t0 = performance.now();
if (loop) {
  // Oracle perception only for the applications the selected models serve, so `--only` subsets split the work.
  if (present.some((m) => m.task !== "lanenet"))
    out["zoo.oracle.cropfollow.loopPassRate"] = passRate(await zooLoopCheck("cropfollow", { kind: "oracle" }, worlds));
  if (present.some((m) => m.task === "lanenet"))
    out["zoo.oracle.gem.loopPassRate"] = passRate(await zooLoopCheck("gem", { kind: "oracle" }, worlds));
  for (const m of present.filter((x) => x.task === "lanenet"))
    out[`zoo.${m.name}.loopPassRate`] = passRate(await zooLoopCheck("gem", { kind: "zoo", lanenet: m }, worlds, zooDir));
  // Every (heading, distance) pair, backbones mixed too: a model's rate is its worst pair's.
  for (const heading of present.filter((x) => x.task === "heading"))
    for (const distance of present.filter((x) => x.task === "distance")) {
      const rate = passRate(await zooLoopCheck("cropfollow", { kind: "zoo", heading, distance }, worlds, zooDir));
      out[`zoo.pair.${heading.name}+${distance.name}.loopPassRate`] = rate;
      for (const m of [heading, distance]) out[`zoo.${m.name}.loopPassRate`] = Math.min(rate, out[`zoo.${m.name}.loopPassRate`] ?? 1);
      console.log(`${heading.name} + ${distance.name}: ${rate.toFixed(3)} of ${worlds} worlds without a collision`);
    }
}
const loopSeconds = (performance.now() - t0) / 1000;

console.log(
  `${"model".padEnd(22)} ${"MFLOPs".padStart(7)} ${"latency ms".padStart(11)} ${"spread".padStart(7)} ${"metric".padStart(9)} ${"loop".padStart(6)} ${"levels".padStart(6)} ${"minFLOPs".padStart(9)} ${"speed-up".padStart(9)} ${"lossless".padStart(8)}`,
);
for (const m of present) {
  const g = (k: string, d: number) => (out[`zoo.${m.name}.${k}`] === undefined ? "–" : out[`zoo.${m.name}.${k}`].toFixed(d));
  console.log(
    `${m.name.padEnd(22)} ${g("mflops", 1).padStart(7)} ${g("latencyMs", 3).padStart(11)} ${`${g("latencySpreadPct", 0)}%`.padStart(7)} ${g("metric", 4).padStart(9)} ` +
      `${g("loopPassRate", 3).padStart(6)} ${g("levels", 0).padStart(6)} ${g("minFlopsRatio", 3).padStart(9)} ${g("speedupAtMinFlops", 2).padStart(9)} ${g("lastLosslessLevel", 0).padStart(8)}`,
  );
}
for (const task of new Set(present.map((m) => m.task)))
  console.log(`shipped ${task} model on the zoo's test worlds: ${out[`zoo.shipped.${task}.metric`].toFixed(4)}`);
if (loop)
  console.log(
    `oracle loop pass rate: cropfollow ${out["zoo.oracle.cropfollow.loopPassRate"] ?? "–"}, gem ${out["zoo.oracle.gem.loopPassRate"] ?? "–"} (${worlds} worlds; loop checks ${loopSeconds.toFixed(0)} s)`,
  );
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(out, null, 2) + "\n");
