/**
 * bench:fidelity-cause — why real CropFollow networks fail in the loop where errors injected at their
 * metric pass (bench:qos's predicted-pass/real-fail cells). For each level it names (one network's, the other
 * at its original, or a pair: `heading:12+distance:12`), on the same worlds:
 *
 * - `real`: the networks in the loop, runs passing with 0 collisions;
 * - `injected`: the calibration's error families (`tuningErrorDistribution`) at the level's measured metric;
 * - `inLoop`: for each network the level names, the structured error fitted on its own closed-loop runs
 *   (calibration seeds 0…19, never judged here) instead of the dataset, plus an offset held for a whole run
 *   with the spread of the per-run mean errors those runs show beyond their frame-to-frame noise: the error
 *   a network makes where the controller actually keeps the robot, and a per-world bias;
 * - `fitOffset`: the structured error fitted on the tuning dataset (as the calibration fits each level) plus the
 *   same per-run offset as `inLoop` (same draws): separates what the loop changes in a network's errors from an
 *   offset held for a whole run, which the calibration's families do not have;
 * - `worldScaled`: the calibration's error families, each run at the metrics both networks show in one world
 *   of the tuning dataset (drawn per run, seeded): errors as large as the networks make in that world, so a
 *   level whose error grows in some worlds fails as often as such worlds come up;
 * - `worldFits`: for each network the level names, the structured error (bias, gain, spread, tail) fitted
 *   on one world of the tuning dataset alone, the same world for every named network (drawn per run,
 *   seeded): not only how large the errors are in a world but their kind, e.g. a network that ignores its
 *   input there (gain near −1) while its metric is only a little worse than elsewhere;
 * - `oracle`: perfect perception;
 * - for every world a level's real network fails, the same world with its row gaps removed
 *   (`gapProbability` 0; the plant stream after the first gap then differs), that level in the loop; and
 *   the first 20 worlds every level passes with gaps added (probability 0.06, up to 6 plants), the
 *   original networks in the loop.
 *
 * `--config` is a tuning config; one that lists several backbones per network (the evidence's) is judged on
 * the first's levels.
 *
 *   npm run bench:fidelity-cause -- [--json out.json] [--config scripts/bench/qos/cropfollow.json]
 *       [--levels heading:0,heading:4,heading:5,distance:0,distance:1,heading:12+distance:12] [--seeds 60]
 *       [--first-seed 1000] [--workers 2]
 *
 * Keys: `cause.<case>.{real,injected,inLoop,fitOffset,worldScaled,worldFits}` (pass rates) and `cause.<case>.worldMetricMax` (the
 * largest per-world metric over the whole set's, of the networks the case names), the case being `<nn>.<level>`
 * or `heading.12+distance.12`; `cause.oracle`, `cause.failingWorlds`
 * (worlds failed by any level), `cause.sharedFailingWorld` (1 when one world fails at every level),
 * `cause.noGaps.fixed` (share of failing runs that pass without gaps), `cause.addedGaps.failRate`.
 */
import { join, resolve } from "node:path";
import {
  ApplicationQos,
  Random,
  asModelRunner,
  buildWorld,
  encodeModel,
  getApplication,
  groupMetrics,
  loadModel,
  loadWorldScenario,
  readTuningConfig,
  runPipeline,
  datasetWorldGroups,
  setupTuning,
  structuredErrorStats,
  tuningErrorDistribution,
  type GaussianInjection,
  type InjectionParams,
  type Model,
  type StructuredErrorStats,
} from "../../index.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { flag, intFlag, jsonFile } from "./benchArgs.ts";

const configPath = resolve(flag("--config") ?? join(import.meta.dirname, "qos", "cropfollow.json"));
const NNS = ["heading", "distance"];

/** One `--levels` item: the networks it names, and every network's level (the others at their original). */
interface Case {
  named: string[];
  level: Record<string, number>;
}
const cases: Case[] = (flag("--levels") ?? "heading:0,heading:4,heading:5,distance:0,distance:1").split(",").map((item) => {
  const c: Case = { named: [], level: Object.fromEntries(NNS.map((nn) => [nn, 0])) };
  for (const s of item.split("+")) {
    const [nn, level] = s.split(":");
    if (!NNS.includes(nn) || !/^\d+$/.test(level ?? "") || c.named.includes(nn))
      fail(`--levels: expected nn:level (heading:5) or one level per network (heading:12+distance:12), got "${item}"`);
    c.named.push(nn);
    c.level[nn] = Number(level);
  }
  return c;
});
const caseName = (c: Case) => c.named.map((nn) => `${nn} L${c.level[nn]}`).join(" + ");
const caseKey = (c: Case) => `cause.${c.named.map((nn) => `${nn}.${c.level[nn]}`).join("+")}`;
const seeds = Array.from({ length: intFlag("--seeds", 60) }, (_, i) => intFlag("--first-seed", 1000) + i);
const SEQUENCE_SEEDS = Array.from({ length: 20 }, (_, i) => i);

function fail(message: string): never {
  console.error(`bench:fidelity-cause: ${message}`);
  process.exit(1);
}

const injectionOf = (s: StructuredErrorStats, offset = 0): GaussianInjection => ({
  kind: "gaussian",
  bias: [s.bias[0] + offset],
  std: [s.std[0]],
  gain: [s.gain[0]],
  center: [s.center[0]],
  stdSlope: [s.stdSlope[0]],
  tail: [s.tail[0]],
});

/** The value of `f`, or exit with its error's message in one line (a bad config names the file and field). */
async function orFail<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    fail((e as Error).message);
  }
}

const config = await orFail(() => readTuningConfig(configPath));
const setup = await orFail(() => setupTuning({ ...config, workers: 1 }, "cropfollow", configPath));
const spec = getApplication("cropfollow");
const worldName = config.world ?? spec.world.default;
const qos = new ApplicationQos({ pipeline: "cropfollow", world: worldName, target: { collisions: 0 }, workers: intFlag("--workers", 2) });
const metrics: Record<string, number> = {};
const dir = mkdtempSync(join(tmpdir(), "fidelity-cause-"));
try {
  const files: Record<string, string[]> = {};
  const metricOf: Record<string, number[]> = {};
  /** Each level's metric in each world of the tuning dataset, over its metric on the whole set. */
  const worldRatiosOf: Record<string, number[][]> = {};
  /** Each level's structured error fitted in each world of the tuning dataset alone. */
  const worldFitsOf: Record<string, StructuredErrorStats[][]> = {};
  /** Each level's structured error fitted on the whole tuning dataset. */
  const fitOf: Record<string, StructuredErrorStats[]> = {};
  const groups = setup.worldGroups ?? (await orFail(() => datasetWorldGroups(config.dataset.labels!)));
  for (const nn of setup.nns) {
    const metric = setup.metrics.find((m) => m.model === nn)!;
    const models: Model[] = [nn.model!];
    // A config listing backbones (the evidence's zoo) keeps each one's cached levels with it; `nns` is the first.
    const approximators = setup.backbones[nn.name]?.[0].approximators ?? setup.approximators[nn.name];
    for (const a of approximators) for await (const l of a.levels(nn.model!)) models.push(l.model);
    files[nn.name] = [];
    metricOf[nn.name] = [];
    worldRatiosOf[nn.name] = [];
    worldFitsOf[nn.name] = [];
    fitOf[nn.name] = [];
    for (const [i, model] of models.entries()) {
      const file = join(dir, `${nn.name}-${i}.onnx`);
      writeFileSync(file, encodeModel(model));
      files[nn.name].push(file);
      const loaded = await loadModel(model, { intraOpThreads: 1 });
      const pairs = await metric.pairsOn(asModelRunner(nn.name, loaded), setup.dataset);
      await loaded.dispose();
      const pooled = metric.fn(pairs.predictions, pairs.labels, pairs.count);
      metricOf[nn.name].push(pooled);
      worldRatiosOf[nn.name].push(groupMetrics(metric.fn, pairs.predictions, pairs.labels, groups).map((m) => m / pooled));
      worldFitsOf[nn.name].push(groupMetrics((p, l) => structuredErrorStats(p, l, 1), pairs.predictions, pairs.labels, groups));
      fitOf[nn.name].push(structuredErrorStats(pairs.predictions, pairs.labels, 1));
    }
  }
  for (const c of cases)
    for (const nn of c.named)
      if (c.level[nn] >= files[nn].length) fail(`--levels: ${nn} has levels 0–${files[nn].length - 1}, not ${c.level[nn]}`);
  const errors = (await tuningErrorDistribution(setup)).calibration;
  const passRate = (o: { detail: { passedSeeds: number; perSeed: unknown[] } }) => o.detail.passedSeeds / o.detail.perSeed.length;
  const oracle = await qos.evaluate({}, { seeds });
  metrics["cause.oracle"] = passRate(oracle);
  console.log(
    `${worldName}, seeds ${seeds[0]}–${seeds.at(-1)}, 0 collisions per run; oracle passes ${oracle.detail.passedSeeds}/${seeds.length}`,
  );
  const width = Math.max(12, ...cases.map((c) => caseName(c).length));
  console.log(
    `${"level".padEnd(width)} ${"metric".padStart(7)} ${"real".padStart(6)} ${"injected".padStart(9)} ${"in-loop".padStart(8)} ${"run offset".padStart(10)} ${"fit+offset".padStart(10)} ${"world-scaled".padStart(12)} ${"world fits".padStart(10)} ${"worst world".padStart(11)}  worlds the real network fails`,
  );
  const perNn = <T>(value: (nn: string) => T): Record<string, T> => Object.fromEntries(NNS.map((nn) => [nn, value(nn)]));
  const modelsOf = (c: Case) => perNn((nn) => files[nn][c.level[nn]]);
  const failedBy: number[][] = [];
  for (const c of cases) {
    const models = modelsOf(c);
    const point = perNn((nn) => metricOf[nn][c.level[nn]]);
    const real = await qos.evaluateModels(models, { seeds });
    const injected = await qos.evaluate(errors.injectionAt(point), { seeds });
    const loop: { nn: string; fit: StructuredErrorStats; offsetStd: number }[] = [];
    for (const nn of c.named) {
      const sequences = await qos.errorSequences(models, nn, SEQUENCE_SEEDS);
      const fit = structuredErrorStats(sequences.predictions, sequences.labels, 1, sequences);
      loop.push({ nn, fit, offsetStd: fit.runOffset![0] });
    }
    const rest = errors.injectionAt(Object.fromEntries(NNS.filter((nn) => !c.named.includes(nn)).map((nn) => [nn, point[nn]])));
    /** Seeds whose run passes with the injection drawn for it. */
    const passingRuns = async (injectionFor: (seed: number) => InjectionParams) => {
      let passed = 0;
      for (const seed of seeds) if ((await qos.evaluate(injectionFor(seed), { seeds: [seed] })).pass) passed++;
      return passed;
    };
    /** Each named network's `fit` plus its run offset, the other networks at the families (the same draws for every fit). */
    const withOffset = (fit: (l: (typeof loop)[number]) => StructuredErrorStats) => (seed: number) => {
      const offsets = new Random(seed).fork("run-offset");
      const injection = { ...rest };
      for (const l of loop) injection[l.nn] = injectionOf(fit(l), l.offsetStd * offsets.normal());
      return injection;
    };
    const inLoopPass = await passingRuns(withOffset((l) => l.fit));
    const fitOffsetPass = await passingRuns(withOffset((l) => fitOf[l.nn][c.level[l.nn]]));
    const ratios = perNn((nn) => worldRatiosOf[nn][c.level[nn]]);
    const worldScaledPass = await passingRuns((seed) => {
      const w = new Random(seed).fork("world-scale").int(0, ratios[NNS[0]].length - 1);
      return errors.injectionAt(perNn((nn) => point[nn] * ratios[nn][w]));
    });
    const worldFitsPass = await passingRuns((seed) => {
      const w = new Random(seed).fork("world-fit").int(0, worldFitsOf[c.named[0]][0].length - 1);
      const injection = { ...rest };
      for (const nn of c.named) injection[nn] = injectionOf(worldFitsOf[nn][c.level[nn]][w]);
      return injection;
    });
    const worst = Math.max(...c.named.flatMap((nn) => ratios[nn]));
    const failed = real.detail.perSeed.filter((s) => s.collisions > 0).map((s) => s.seed);
    failedBy.push(failed);
    const key = caseKey(c);
    metrics[`${key}.real`] = passRate(real);
    metrics[`${key}.injected`] = passRate(injected);
    metrics[`${key}.inLoop`] = inLoopPass / seeds.length;
    metrics[`${key}.fitOffset`] = fitOffsetPass / seeds.length;
    metrics[`${key}.worldScaled`] = worldScaledPass / seeds.length;
    metrics[`${key}.worldFits`] = worldFitsPass / seeds.length;
    metrics[`${key}.worldMetricMax`] = worst;
    const named = (value: (nn: string) => number) => c.named.map((nn) => value(nn).toFixed(4)).join(", ");
    console.log(
      `${caseName(c).padEnd(width)} ${named((nn) => point[nn]).padStart(7)} ${`${real.detail.passedSeeds}/${seeds.length}`.padStart(6)} ${`${injected.detail.passedSeeds}/${seeds.length}`.padStart(9)} ${`${inLoopPass}/${seeds.length}`.padStart(8)} ${named((nn) => loop.find((l) => l.nn === nn)!.offsetStd).padStart(10)} ${`${fitOffsetPass}/${seeds.length}`.padStart(10)} ${`${worldScaledPass}/${seeds.length}`.padStart(12)} ${`${worldFitsPass}/${seeds.length}`.padStart(10)} ${`×${worst.toFixed(2)}`.padStart(11)}  ${failed.join(" ")}`,
    );
  }
  const failing = [...new Set(failedBy.flat())].sort((a, b) => a - b);
  metrics["cause.failingWorlds"] = failing.length;
  metrics["cause.sharedFailingWorld"] = Number(failing.some((s) => failedBy.every((f) => f.includes(s))));
  console.log(
    `worlds failed by some level: ${failing.length} (${failing.map((s) => `${s}: ${failedBy.filter((f) => f.includes(s)).length}/${cases.length}`).join(", ")})`,
  );

  const drive = async (heading: string, distance: string, seed: number, gaps: { gapProbability: number; gapMaxPlants?: number }) => {
    const draw = loadWorldScenario(worldName).draw(seed);
    if (draw.kind !== "cropfield") fail(`${worldName} draws ${draw.kind} worlds, not crop fields`);
    const world = buildWorld({ ...draw, plants: { ...draw.plants, ...gaps } }, seed);
    const run = await runPipeline({ pipeline: "cropfollow", world: worldName, perception: spec.onnxPerception({ heading, distance }) }, seed, {
      world,
    });
    return run.summary.collisions === 0;
  };
  let fixed = 0;
  let failingRuns = 0;
  for (const [i, c] of cases.entries()) {
    const m = modelsOf(c);
    for (const seed of failedBy[i]) {
      failingRuns++;
      if (await drive(m.heading, m.distance, seed, { gapProbability: 0 })) fixed++;
    }
  }
  metrics["cause.noGaps.fixed"] = failingRuns > 0 ? fixed / failingRuns : 0;
  console.log(`failing runs that pass with the world's row gaps removed: ${fixed}/${failingRuns}`);
  const passing = seeds.filter((s) => !failing.includes(s)).slice(0, 20);
  let addedFails = 0;
  for (const seed of passing)
    if (!(await drive(files.heading[0], files.distance[0], seed, { gapProbability: 0.06, gapMaxPlants: 6 }))) addedFails++;
  metrics["cause.addedGaps.failRate"] = passing.length > 0 ? addedFails / passing.length : 0;
  console.log(`original networks on ${passing.length} worlds every level passes, with row gaps added (6 %, up to 6 plants): ${addedFails} fail`);
} finally {
  await qos.close();
  await setup.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log("");
for (const [k, v] of Object.entries(metrics)) console.log(`${k.padEnd(36)} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(metrics, null, 2) + "\n");
