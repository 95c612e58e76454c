/**
 * `npx tsx scripts/bench/approx.ts [--json <file>] [--runs <n>] [--amount <f>]`:
 * structured L1 pruning of full-size torchvision ResNet18, MobileNetV2 and
 * SqueezeNet1.1 graphs (BN folded, random weights, input 1×3×120×160) at
 * Torch-Pruning's `pruning_ratio` (default 0.5): MAC and parameter ratios
 * and batch-1 onnxruntime latency on one thread, original vs pruned.
 *
 * Latency: `--runs` timed runs per measurement after 5 warm-ups, original
 * and pruned measured alternately 3 times; each reported latency is the
 * median of the three medians (and `speedupMin` the ratio of the fastest
 * runs, steadier when other processes share the cores). The JSON holds, per
 * net, `macRatio`, `paramRatio`, `speedup`, `speedupMin`, `originalMs`,
 * `prunedMs` and `pruneSeconds`; then `approx.resnet18.levels.<k>.macRatio`
 * and `.ms` for the StructuredPruner levels (nSteps 4, pruneFraction 0.2)
 * showing latency falling as levels rise.
 *
 * Reference (Torch-Pruning, L1 at ratio 0.5, onnxruntime 1 thread):
 * ResNet18 0.27 of MACs and 3.7× faster; MobileNetV2 0.29 and 2.3×;
 * SqueezeNet1.1 0.28 of MACs.
 */
import { writeFileSync } from "node:fs";
import { loadModel, modelStats, pruneChannels, StructuredPruner, type Model } from "../../optimizer/index.ts";
import { mobilenetV2, resnet18, squeezenet1_1 } from "../fixtures/torchvisionNets.ts";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(flag("--runs") ?? 30);
const amount = Number(flag("--amount") ?? 0.5);
const jsonFile = flag("--json");

async function latency(model: Model): Promise<{ medianMs: number; minMs: number }> {
  const nn = await loadModel(model, { intraOpThreads: 1 });
  try {
    return await nn.measureLatency({ warmup: 5, runs });
  } finally {
    await nn.dispose();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
  const orig: { medianMs: number; minMs: number }[] = [];
  const small: { medianMs: number; minMs: number }[] = [];
  for (let rep = 0; rep < 3; rep++) {
    orig.push(await latency(model));
    small.push(await latency(pruned));
  }
  const originalMs = median(orig.map((l) => l.medianMs));
  const prunedMs = median(small.map((l) => l.medianMs));
  const r = {
    macRatio: after.totalFlops / before.totalFlops,
    paramRatio: after.totalParams / before.totalParams,
    speedup: originalMs / prunedMs,
    speedupMin: Math.min(...orig.map((l) => l.minMs)) / Math.min(...small.map((l) => l.minMs)),
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
      pruneSeconds.toFixed(2).padStart(6),
    ].join("  "),
  );
}
console.log(`L1 structured pruning at amount ${amount}, input 1×3×120×160, onnxruntime 1 thread, ${runs} runs × 3`);
console.log(["net".padEnd(14), "MACs".padEnd(20), " MACs×", " params×", "latency ms".padEnd(16), "speedup", "(min)  ", "prune s"].join("  "));
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
