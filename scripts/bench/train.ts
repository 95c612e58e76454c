/**
 * `npm run bench:train [-- --json <file>] [--runs <n>]`: training throughput
 * (images/s and effective GFLOP/s) of the reference CNN and a ResNet-style
 * net with TrainingSession (one onnxruntime run per step: forward, backward,
 * SGD-momentum update, weights fed in and read out), plus inference latency at
 * batch 1 for both. One intra-op thread unless `--threads` says otherwise; the
 * reference CNN is also timed on 2 threads to show which is faster.
 *
 * Effective GFLOP/s = 3 × forward FLOPs (2 × MACs of Conv/Gemm, the usual
 * convention; backward ≈ 2 × forward) × images/s. Medians over `--runs`
 * blocks of steps. Target: reference CNN ≥ 1650 images/s on one thread
 * (5× PyTorch 1.13's ~330 images/s on this machine).
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { Random } from "../../common/index.ts";
import { GraphBuilder, loadModel, modelStats, mseLoss, sgd, TrainingSession, type Model } from "../../optimizer/index.ts";
import { intFlag, jsonFile } from "./benchArgs.ts";
import { median } from "../../common/index.ts";

const runs = intFlag("--runs", 7);
const threads = intFlag("--threads", 1);

const BATCH = 16;

/** conv3×3(16)–BN–ReLU–maxpool–conv3×3(32, stride 2)–ReLU–GAP–linear(2) on 3×48×64. */
function referenceCnn(): Model {
  const b = new GraphBuilder({ seed: 1, name: "refnet" });
  let x = b.input("input", ["N", 3, 48, 64]);
  x = b.relu(b.batchNorm(b.conv(x, { outChannels: 16, kernel: 3, pad: 1 })));
  x = b.maxPool(x, { kernel: 2 });
  x = b.relu(b.conv(x, { outChannels: 32, kernel: 3, pad: 1, stride: 2 }));
  b.output(b.gemm(b.flatten(b.globalAveragePool(x)), { outFeatures: 2 }));
  return b.build();
}

/** ResNet-style on 3×120×160: stem conv(16, /2), a basic block at 16, down-blocks to 32 and 64 (/2 each), GAP, linear(2). */
function resnetStyle(): Model {
  const b = new GraphBuilder({ seed: 2, name: "resnet" });
  const convBn = (x: string, c: number, stride = 1, k = 3) =>
    b.batchNorm(b.conv(x, { outChannels: c, kernel: k, pad: (k - 1) / 2, stride, bias: false }));
  const block = (x: string, c: number, stride: number) => {
    const y = convBn(b.relu(convBn(x, c, stride)), c);
    const skip = stride === 1 && b.shape(x)[1] === c ? x : convBn(x, c, stride, 1);
    return b.relu(b.add(y, skip));
  };
  let x = b.relu(convBn(b.input("input", ["N", 3, 120, 160]), 16, 2));
  x = block(x, 16, 1);
  x = block(x, 32, 2);
  x = block(x, 64, 2);
  b.output(b.gemm(b.flatten(b.globalAveragePool(x)), { outFeatures: 2 }));
  return b.build();
}

/** Training images/s over `runs` blocks of `steps` steps at batch 16: the median and the best block. */
async function trainThroughput(model: Model, steps: number, intraOpThreads: number): Promise<{ median: number; best: number }> {
  const session = await TrainingSession.create(model, { loss: mseLoss(), optimizer: sgd({ momentum: 0.9 }), intraOpThreads, batchSize: BATCH });
  const rng = new Random(3);
  const inputs = Float32Array.from({ length: BATCH * session.inputSize }, () => rng.normal());
  const targets = Float32Array.from({ length: BATCH * session.targetSize }, () => rng.normal());
  const batch = { inputs, targets, size: BATCH };
  for (let k = 0; k < 3; k++) await session.trainStep(batch, 1e-3);
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let k = 0; k < steps; k++) await session.trainStep(batch, 1e-3);
    rates.push((steps * BATCH * 1000) / (performance.now() - t));
  }
  await session.release();
  return { median: median(rates), best: Math.max(...rates) };
}

/** Inference latency (ms) at batch 1 with the project's runtime: median of 200 runs after 20 warm-up runs. */
async function inferenceMs(model: Model, intraOpThreads: number): Promise<number> {
  const nn = await loadModel(model, { intraOpThreads });
  const stats = await nn.measureLatency({ warmup: 20, runs: 200 });
  await nn.dispose();
  return stats.medianMs;
}

const ref = referenceCnn();
const res = resnetStyle();
const refFlops = modelStats(ref).totalFlops;
const resFlops = modelStats(res).totalFlops;

const refRate = await trainThroughput(ref, 40, threads);
const refRate2 = await trainThroughput(ref, 40, 2);
const resRate = await trainThroughput(res, 4, threads);
const refMs = await inferenceMs(ref, threads);
const resMs = await inferenceMs(res, threads);

const metrics = {
  "train.refnet.imagesPerSecond": refRate.median,
  "train.refnet.gflops": (3 * refFlops * refRate.median) / 1e9,
  "train.resnet.imagesPerSecond": resRate.median,
  "infer.refnet.ms": refMs,
  "infer.resnet.ms": resMs,
};

const [load1] = loadavg();
console.log(
  `batch ${BATCH}, MSE, SGD momentum 0.9; ${threads} intra-op thread(s); medians of ${runs} blocks (best block in the note); load average ${load1.toFixed(1)} on ${cpus().length} cores`,
);
console.table([
  {
    metric: "train.refnet.imagesPerSecond",
    value: refRate.median.toFixed(0),
    note: `best ${refRate.best.toFixed(0)}; target ≥ 1650 (PyTorch 1.13 ≈ 330); fwd ${(refFlops / 1e6).toFixed(1)} MFLOP/img`,
  },
  { metric: "train.refnet.gflops", value: metrics["train.refnet.gflops"].toFixed(2), note: "3 × forward FLOPs × images/s" },
  {
    metric: "train.refnet.imagesPerSecond (2 threads)",
    value: refRate2.median.toFixed(0),
    note: `best ${refRate2.best.toFixed(0)}; not a target: 1 vs 2 threads`,
  },
  {
    metric: "train.resnet.imagesPerSecond",
    value: resRate.median.toFixed(1),
    note: `best ${resRate.best.toFixed(1)}; fwd ${(resFlops / 1e6).toFixed(1)} MFLOP/img, ${((3 * resFlops * resRate.median) / 1e9).toFixed(2)} GFLOP/s`,
  },
  { metric: "infer.refnet.ms", value: refMs.toFixed(3), note: "batch 1" },
  { metric: "infer.resnet.ms", value: resMs.toFixed(3), note: "batch 1" },
]);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(metrics, null, 2) + "\n");
