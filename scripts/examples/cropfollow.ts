/**
 * ApproxCaliper end to end on CropFollow, following the API of DESIGN.md §1
 * step by step, with a small budget (a few minutes on 2 cores):
 *
 *   npm run example -- [--models models] [--data <val dir>] [--train <train dir>]
 *       [--train-samples 2400] [--out out/cropfollow]
 *
 * Needs the shipped models (`models/heading.onnx`, `models/distance.onnx`).
 * Without `--data`/`--train` it renders its own small CropFollow dataset
 * (30 unseen randomized worlds, seed 7, about 20 s) into
 * `data/example/cropfollow` the first time. Metrics are measured on the
 * validation split; each pruning level is retrained for one epoch on
 * `--train-samples` samples of the training split (learning-rate rewinding),
 * one pruner per NN because each NN trains on its own label column.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as ac from "../../index.ts";

// Node's own parser (strict: an unknown flag is an error); the example needs nothing from the CLI.
function readFlags() {
  try {
    return parseArgs({
      options: {
        models: { type: "string", default: "models" },
        data: { type: "string" },
        train: { type: "string" },
        "train-samples": { type: "string", default: "2400" },
        out: { type: "string", default: "out/cropfollow" },
      },
    }).values;
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
const flags = readFlags();
const modelsDir = flags.models;
const exampleData = "data/example/cropfollow";
const dataDir = flags.data ?? join(exampleData, "val");
const trainDir = flags.train ?? join(exampleData, "train");
const trainSamples = Number(flags["train-samples"]);
if (!Number.isInteger(trainSamples) || trainSamples < 1) {
  console.error(`--train-samples: expected a positive integer, got "${flags["train-samples"]}"`);
  process.exit(1);
}
const outDir = flags.out;
const labels = join(dataDir, "labels.json");
for (const file of [join(modelsDir, "heading.onnx"), join(modelsDir, "distance.onnx")]) {
  if (!existsSync(file)) {
    console.error(`missing ${file}: the shipped models come with the repository (npm run train:models rebuilds them), or pass --models`);
    process.exit(1);
  }
}
if (!existsSync(labels) || !existsSync(join(trainDir, "labels.json"))) {
  if (dataDir !== join(exampleData, "val") || trainDir !== join(exampleData, "train")) {
    console.error(
      `missing ${!existsSync(labels) ? labels : join(trainDir, "labels.json")}: render a dataset with approxcaliper dataset cropfollow`,
    );
    process.exit(1);
  }
  // Held-out worlds (the shipped models were trained on dataset seed 1), rendered at the models' input size.
  const probe = await ac.loadModel(join(modelsDir, "heading.onnx"));
  const [, , height, width] = probe.inputShape;
  await probe.dispose();
  console.log(`rendering a CropFollow dataset (30 worlds × 100 frames, ${width}×${height}) into ${exampleData}…`);
  await ac.generateDataset({ kind: "cropfollow", out: exampleData, worlds: 30, perWorld: 100, seed: 7, width, height, workers: 2 });
}

mkdirSync(outDir, { recursive: true });

// The NNs, named so metrics, error families and the pipeline's slots agree.
const heading = ac.asModelRunner("heading", await ac.loadModel(join(modelsDir, "heading.onnx")));
const distance = ac.asModelRunner("distance", await ac.loadModel(join(modelsDir, "distance.onnx")));
const nns = [heading, distance];
const dataset = await ac.loadDataset(dataDir, labels);
// Each metric compares its NN's output with the dataset's label column of the same name.
const metrics = [new ac.ErrorMetric(heading, ac.l1Error), new ac.ErrorMetric(distance, ac.l1Error)];
const qos = new ac.CropFollowQoS({ target: { collisions: 0 }, workers: 2, cacheFile: join(outDir, "qos-cache.jsonl") });
try {
  // Phase 1: how much NN error can the application take?
  const train = (await ac.loadDataset(trainDir, join(trainDir, "labels.json"))).strided(trainSamples);
  const pruners = Object.fromEntries(
    nns.map((nn) => {
      const column = ac.labelColumn(train, nn.name);
      const batchSize = 32;
      const finetune: ac.FinetuneRecipe = {
        train: column,
        loss: ac.l1Loss(),
        optimizer: ac.adam(),
        schedule: new ac.CosineSchedule({ lr: 1e-3, totalSteps: Math.ceil(column.size / batchSize) }),
        batchSize,
        epochs: 1,
      };
      // Levels are retrained once and replayed: calibration and tuning see the same models.
      return [nn.name, ac.memoizeLevels(new ac.nnApprox.StructuredPruner({ nSteps: 6, pruneFraction: 0.35, finetune }))];
    }),
  );
  console.log(
    `error families: 6 pruning levels (each retrained 1 epoch on ${train.size} samples) × ${nns.length} NNs on ${dataset.size} samples`,
  );
  const families: Record<string, ac.ErrorFamily> = {};
  for (const nn of nns) {
    const dist = await ac.findErrorDistribution([pruners[nn.name]], [nn], dataset, { metrics: metrics.filter((m) => m.model === nn) });
    families[nn.name] = dist.family(nn.name);
  }
  const errorDist = new ac.ErrorDistribution(families);
  console.log("error calibration (injected errors in the closed loop)…");
  const constraints = await ac.errorCalibrate(nns, errorDist, metrics, qos, {
    iters: 8,
    seeds: 2,
    workers: 2,
    checkpoint: join(outDir, "calibration.jsonl"),
    onProgress: (p) =>
      console.log(
        `  ${p.done}/${p.total} ${p.pass ? "pass" : "fail"} at [${p.point.map((v) => v.toFixed(3)).join(", ")}]${p.cached ? " (cached)" : ""}`,
      ),
  });
  // Phase 2: guided tuning, QoS measured only where the calibration is unsure.
  console.log("guided tuning (real models in the loop)…");
  const optimized = await ac.optimize(pruners, constraints, nns, dataset, qos, {
    // Tuning seeds 2, 3 and verification seeds 4, 5: disjoint from the calibration's 0, 1.
    calibrationSeeds: [0, 1],
    seeds: 2,
    maxQosRuns: 6,
    outDir,
    onProgress: (p) => {
      if (p.phase === "search") console.log(`  ${p.message}`);
    },
  });
  const t = optimized.report.totals;
  if (optimized.chosen) {
    for (const c of optimized.chosen.candidates) {
      const original = optimized.original.candidates.find((x) => x.nn === c.nn)!;
      console.log(
        `${c.nn}: ${c.approximator} level ${c.level}, ${(original.latencyMs / c.latencyMs).toFixed(2)}× faster → ${optimized.files[c.nn]}`,
      );
    }
    console.log(
      `speed-up ${optimized.chosenVsOriginal!.speedup.toFixed(2)}× over the original, ${optimized.chosenVsAgnostic!.speedup.toFixed(2)}× over the application-agnostic choice`,
    );
  } else {
    console.log("no pruned combination met { collisions: 0 } within the budget");
  }
  console.log(`QoS runs: ${t.qosRuns} instead of ${t.exhaustiveQosRuns} (${t.skipped} skipped)`);
  console.log(`report: ${optimized.reportHtml}`);
} finally {
  await qos.close();
  for (const nn of nns) await nn.nn.dispose();
}
