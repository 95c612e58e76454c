/**
 * `npm run train:lanepose [-- --data <dir>] [--out <dir>] [--workers <n>]`
 *
 * Trains the GEM pure-pursuit application's network reproducibly: renders
 * the `lanepose` dataset ({@link LANE_POSE_DATASET}; skipped when
 * `<data>/lanepose/dataset.json` already describes it), trains
 * {@link lanePoseNet} with {@link LANE_POSE_RECIPE} on the project's ONNX
 * training engine (checkpoints in `<data>/checkpoints/lanepose`, so a killed
 * run resumes), measures it on the validation worlds and writes
 * `models/lanepose.onnx` with its model card `models/lanepose.json`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  adam,
  colorJitter,
  CosineSchedule,
  fit,
  l1Loss,
  loadDataset,
  loadModel,
  modelStats,
  TrainingSession,
  writeModel,
} from "../optimizer/index.ts";
import { DATASET_GENERATOR_VERSION, generateDataset, LANE_POSE_LOOKAHEAD } from "../sim/index.ts";
import { cardInput, type ModelCard } from "./models/modelCard.ts";
import { lanePoseMetrics } from "./models/lanePoseMetrics.ts";
import { lanePoseNet } from "./models/lanePoseNet.ts";
import { LANE_POSE_DATASET, LANE_POSE_RECIPE } from "./models/lanePoseRecipe.ts";

const { values: flags } = parseArgs({
  options: { data: { type: "string", default: "data/models" }, out: { type: "string", default: "models" }, workers: { type: "string" } },
});
const data = flags.data!;
const outDir = flags.out!;
const workers = flags.workers === undefined ? undefined : Number(flags.workers);
const ds = LANE_POSE_DATASET;
const recipe = LANE_POSE_RECIPE;
const dir = join(data, ds.kind);
const manifestPath = join(dir, "dataset.json");
const t0 = performance.now();

const upToDate = (() => {
  if (!existsSync(manifestPath)) return false;
  const m = JSON.parse(readFileSync(manifestPath, "utf8"));
  const worlds = m.splits.train.worldSeeds.length + m.splits.val.worldSeeds.length + m.splits.test.worldSeeds.length;
  return (
    m.kind === ds.kind &&
    m.version === DATASET_GENERATOR_VERSION[ds.kind] &&
    m.seed === ds.seed &&
    m.perWorld === ds.perWorld &&
    m.width === ds.width &&
    m.height === ds.height &&
    worlds === ds.worlds
  );
})();
if (!upToDate) {
  await generateDataset({ ...ds, out: dir, workers, onProgress: (d, n) => process.stdout.write(`\rdataset ${ds.kind}: ${d}/${n} worlds`) });
  console.log(`\n${dir}: generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const trainSet = await loadDataset(join(dir, "train"), join(dir, "train", "labels.json"));
const valSet = await loadDataset(join(dir, "val"), join(dir, "val", "labels.json"));

const session = await TrainingSession.create(lanePoseNet({ width: ds.width, height: ds.height, seed: recipe.seed }), {
  loss: l1Loss(),
  optimizer: adam({ weightDecay: recipe.optimizer.weightDecay }),
  batchSize: recipe.batchSize,
  seed: recipe.seed,
});
const tTrain = performance.now();
const result = await fit(session, {
  train: trainSet,
  validation: valSet,
  epochs: recipe.epochs,
  batchSize: recipe.batchSize,
  schedule: new CosineSchedule({
    lr: recipe.optimizer.lr,
    totalSteps: recipe.epochs * Math.ceil(trainSet.size / recipe.batchSize),
    warmupSteps: recipe.schedule.warmupSteps,
    minLr: recipe.schedule.minLr,
  }),
  seed: recipe.seed,
  augment: [colorJitter(recipe.augment.colorJitter)],
  earlyStopping: { patience: recipe.epochs, restoreBest: true },
  checkpoint: { dir: join(data, "checkpoints", "lanepose") },
  onEpoch: (e) =>
    console.log(
      `lanepose: epoch ${e.epoch + 1}/${recipe.epochs} train loss ${e.trainLoss.toFixed(4)} val loss ${e.validation?.toFixed(4)} (${((performance.now() - tTrain) / 1000).toFixed(0)} s)`,
    ),
});
await session.release();
const seconds = (performance.now() - tTrain) / 1000;

await mkdir(outDir, { recursive: true });
const file = join(outDir, "lanepose.onnx");
await writeModel(result.model, file);
const nn = await loadModel(file, { intraOpThreads: 1 });
const metrics = await lanePoseMetrics(nn, valSet);
const latencyMs = (await nn.measureLatency({ warmup: 50, runs: 500 })).medianMs;
await nn.dispose();
const stats = modelStats(result.model);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const card: ModelCard = {
  name: "lanepose",
  file: "lanepose.onnx",
  architecture:
    "ResNet-style CNN: conv3×3(16,/2)-BN-ReLU; basic residual blocks (conv-BN-ReLU-conv-BN + 1×1 projection skip, Add, ReLU) 24(/2), 32(/2), 32(/2); Flatten → Gemm(64) → ReLU → Gemm(2). BatchNorm kept (not folded).",
  input: cardInput(ds.height, ds.width),
  output: {
    name: "lanepose_out",
    shape: ["N", 2],
    meaning: `lane pose ${LANE_POSE_LOOKAHEAD} m ahead of the body centre: [cross-track offset (m, > 0 left of the right-lane centre), heading error (rad, yaw − lane tangent)]`,
  },
  dataset: {
    ...ds,
    generatorVersion: DATASET_GENERATOR_VERSION[ds.kind],
    trainCount: manifest.splits.train.count,
    valCount: manifest.splits.val.count,
    command: `approxcaliper dataset ${ds.kind} --out <dir> --worlds ${ds.worlds} --per-world ${ds.perWorld} --seed ${ds.seed} --width ${ds.width} --height ${ds.height}`,
  },
  training: {
    ...recipe,
    bestEpoch: result.bestEpoch,
    seconds: Math.round(seconds),
    history: result.history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, validation: h.validation })),
  },
  metrics: { ...metrics },
  flops: stats.totalFlops,
  params: stats.totalParams,
  sizeBytes: statSync(file).size,
  latencyMs,
  command: "npm run train:lanepose",
};
await writeFile(join(outDir, "lanepose.json"), JSON.stringify(card, null, 2) + "\n");
console.log(
  `${file}: ${JSON.stringify(metrics)}; ${(stats.totalFlops / 1e6).toFixed(1)} MFLOP, ${stats.totalParams} params, ${latencyMs.toFixed(3)} ms`,
);
console.log(`done in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
