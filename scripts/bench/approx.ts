/**
 * `npm run bench:approx -- [--json <file>] [--runs <n>] [--amount <f>]`:
 * structured L1 pruning of full-size torchvision ResNet18, MobileNetV2 and
 * SqueezeNet1.1 graphs (BN folded, random weights, input 1×3×120×160) at
 * Torch-Pruning's `pruning_ratio` (default 0.5): MAC and parameter ratios
 * and batch-1 onnxruntime latency on one thread, original vs pruned.
 *
 * Latency: both models loaded side by side (one thread each), 5 warm-ups,
 * then `--runs` rounds that time one original and one pruned run back to
 * back, so both see the same machine load; reported latencies are medians
 * of the rounds and `speedup` their ratio (`speedupMin`: ratio of the fastest
 * rounds; `speedupCpu`: ratio of median process CPU time per run, which
 * excludes time spent preempted when other processes share the cores).
 * The JSON holds, per net, `macRatio`, `paramRatio`, `speedup`,
 * `speedupMin`, `speedupCpu`, `originalMs`,
 * `prunedMs` and `pruneSeconds`; then `approx.resnet18.levels.<k>.macRatio`
 * and `.ms` for the StructuredPruner levels (nSteps 4, pruneFraction 0.2)
 * showing latency falling as levels rise.
 *
 * Reference (Torch-Pruning, L1 at ratio 0.5, onnxruntime 1 thread):
 * ResNet18 0.27 of MACs and 3.7× faster; MobileNetV2 0.29 and 2.3×;
 * SqueezeNet1.1 0.28 of MACs (Torch-Pruning's benchmark halves its 1000 classes;
 * ours keeps them by default: see the README).
 */
import { writeFileSync } from "node:fs";
import { loadModel, models, modelStats, pruneChannels, StructuredPruner, type Model } from "../../optimizer/index.ts";
import { flag, intFlag, jsonFile } from "./benchArgs.ts";
import { median } from "../../common/index.ts";

const { mobilenetV2, resnet18, squeezenet1_1 } = models.torchvision;

const runs = intFlag("--runs", 60);
const amount = Number(flag("--amount") ?? 0.5);

async function latency(model: Model): Promise<{ medianMs: number; minMs: number }> {
  const nn = await loadModel(model, { intraOpThreads: 1 });
  try {
    return await nn.measureLatency({ warmup: 5, runs });
  } finally {
    await nn.dispose();
  }
}

/** Median and min latency of `a` and `b`, timed in alternating rounds. */
async function interleaved(a: Model, b: Model) {
  const nets = [await loadModel(a, { intraOpThreads: 1 }), await loadModel(b, { intraOpThreads: 1 })];
  try {
    const input = new Float32Array(nets[0].inputShape.reduce((x, y) => x * y, 1)).map((_, i) => Math.sin(i));
    for (const nn of nets) for (let i = 0; i < 5; i++) await nn.run(input);
    const times: number[][] = [[], []];
    const cpu: number[][] = [[], []];
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < 2; k++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await nets[k].run(input);
        times[k].push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu[k].push((c.user + c.system) / 1000);
      }
    }
    return times.map((t, k) => ({ medianMs: median(t), minMs: Math.min(...t), cpuMs: median(cpu[k]) }));
  } finally {
    for (const nn of nets) await nn.dispose();
  }
}

const nets: [string, () => Model][] = [
  ["resnet18", () => resnet18()],
  ["mobilenetv2", () => mobilenetV2()],
  ["squeezenet1_1", () => squeezenet1_1()],
];
const json: Record<string, number> = {};
const rows: string[] = [];
for (const [name, build] of nets) {
  const model = build();
  const t0 = performance.now();
  const { model: pruned } = pruneChannels(model, amount);
  const pruneSeconds = (performance.now() - t0) / 1000;
  const before = modelStats(model);
  const after = modelStats(pruned);
  const [orig, small] = await interleaved(model, pruned);
  const originalMs = orig.medianMs;
  const prunedMs = small.medianMs;
  const r = {
    macRatio: after.totalFlops / before.totalFlops,
    paramRatio: after.totalParams / before.totalParams,
    speedup: originalMs / prunedMs,
    speedupMin: orig.minMs / small.minMs,
    speedupCpu: orig.cpuMs / small.cpuMs,
    originalMs,
    prunedMs,
    pruneSeconds,
  };
  for (const [k, v] of Object.entries(r)) json[`approx.${name}.${k}`] = v;
  rows.push(
    [
      name.padEnd(14),
      `${(before.totalFlops / 2e6).toFixed(1)}M → ${(after.totalFlops / 2e6).toFixed(1)}M`.padEnd(20),
      r.macRatio.toFixed(3).padStart(6),
      r.paramRatio.toFixed(3).padStart(7),
      `${originalMs.toFixed(2)} → ${prunedMs.toFixed(2)}`.padEnd(16),
      `${r.speedup.toFixed(2)}×`.padStart(7),
      `${r.speedupMin.toFixed(2)}×`.padStart(7),
      `${r.speedupCpu.toFixed(2)}×`.padStart(7),
      pruneSeconds.toFixed(2).padStart(6),
    ].join("  "),
  );
}
console.log(`L1 structured pruning at amount ${amount}, input 1×3×120×160, onnxruntime 1 thread, ${runs} interleaved rounds`);
console.log(
  ["net".padEnd(14), "MACs".padEnd(20), " MACs×", " params×", "latency ms".padEnd(16), "speedup", "(min)  ", "(cpu)  ", "prune s"].join("  "),
);
for (const r of rows) console.log(r);
const base = resnet18();
const baseFlops = modelStats(base).totalFlops;
console.log("\nStructuredPruner levels on resnet18 (nSteps 4, pruneFraction 0.2): latency falls as levels rise");
console.log(`level 0  removed 0.000  MACs× 1.000  ${(await latency(base)).medianMs.toFixed(2)} ms`);
for await (const l of new StructuredPruner({ nSteps: 4, pruneFraction: 0.2 }).levels(base)) {
  const macRatio = modelStats(l.model).totalFlops / baseFlops;
  const ms = (await latency(l.model)).medianMs;
  json[`approx.resnet18.levels.${l.level}.macRatio`] = macRatio;
  json[`approx.resnet18.levels.${l.level}.ms`] = ms;
  console.log(`level ${l.level}  removed ${l.fraction.toFixed(3)}  MACs× ${macRatio.toFixed(3)}  ${ms.toFixed(2)} ms`);
}
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(json, null, 2));
