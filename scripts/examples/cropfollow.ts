/**
 * ApproxCaliper end to end on CropFollow, following the API of DESIGN.md §1
 * step by step, with a small budget (a few minutes on 2 cores):
 *
 *   npx tsx scripts/examples/cropfollow.ts [--models models] [--data data/models/cropfollow/val] [--out out/cropfollow]
 *
 * Needs the shipped models (`models/heading.onnx`, `models/distance.onnx`)
 * and a CropFollow dataset in the labels.json format (`npm run train:models`
 * renders both; `approxcaliper dataset` renders a dataset alone).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as ac from "../../index.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const modelsDir = flag("--models", "models");
const dataDir = flag("--data", "data/models/cropfollow/val");
const outDir = flag("--out", "out/cropfollow");
const labels = join(dataDir, "labels.json");
for (const file of [join(modelsDir, "heading.onnx"), join(modelsDir, "distance.onnx"), labels]) {
  if (!existsSync(file)) {
    console.error(`missing ${file}: train the shipped models and render their datasets first (npm run train:models), or pass --models / --data`);
    process.exit(1);
  }
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
  const pruner = new ac.nnApprox.StructuredPruner({ nSteps: 4, pruneFraction: 0.3 });
  console.log(`error families: ${pruner.nSteps} pruning levels × ${nns.length} NNs on ${dataset.size} samples`);
  const errorDist = await ac.findErrorDistribution([pruner], nns, dataset, { metrics });
  console.log("error calibration (injected errors in the closed loop)…");
  const constraints = await ac.errorCalibrate(nns, errorDist, metrics, qos, {
    iters: 8,
    seeds: 2,
    workers: 2,
    checkpoint: join(outDir, "calibration.jsonl"),
    onProgress: (p) => console.log(`  ${p.done}/${p.total} ${p.pass ? "pass" : "fail"} at [${p.point.map((v) => v.toFixed(3)).join(", ")}]${p.cached ? " (cached)" : ""}`),
  });
  // Phase 2: guided tuning, QoS measured only where the calibration is unsure.
  console.log("guided tuning (real models in the loop)…");
  const optimized = await ac.optimize(pruner, constraints, nns, dataset, qos, {
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
      console.log(`${c.nn}: ${c.approximator} level ${c.level}, ${(original.latencyMs / c.latencyMs).toFixed(2)}× faster → ${optimized.files[c.nn]}`);
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
