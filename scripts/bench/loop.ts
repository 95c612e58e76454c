/**
 * `npm run bench:loop [-- --json <file>] [--runs <n>]`: speed of the closed loops and of the QoS oracle.
 *
 * - Real-time factor (simulated s / wall s) of a 60 s CropFollow run with injected perception
 *   (no rendering; target ≥ 200× on one core) and of a 60 s GEM run with injected lane-mask
 *   errors (masks drawn by exact projection of the lane geometry, not rendered). Worlds are built
 *   once beforehand, as the QoS workers cache them; medians over `--runs` runs after one warm-up.
 *   The table also shows one GEM run with simulator-rendered masks, for comparison.
 * - QosEvaluator throughput in seeds/s with 1 and 2 worker threads: a CropFollow injected
 *   configuration over 4 seeds (full 30 m row), fresh error levels per evaluation so the cache
 *   never answers; median over `--runs` evaluations after a warm-up one.
 * - Recording (`loopRecordingSection.ts`): a 60 s CropFollow run without recording and with
 *   `--record failing`, interleaved, median wall time (target ≤ 5 % more), and the size of its replay
 *   without frames (target ≤ 2 MB).
 * - NN in the loop (`loopOnnxSection.ts`): real-time factor of CropFollow (10 FPS) and GEM (20 Hz)
 *   with the shipped models on rendered frames, one core, with a render / preprocessing /
 *   inference / fusion-control / physics breakdown; median of min(`--runs`, 3) seeds.
 */
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QosEvaluator, buildWorld, loadWorldPreset, runPipeline, type RunConfigInput } from "../../index.ts";
import { benchOnnxLoop } from "./loopOnnxSection.ts";
import { benchRecording } from "./loopRecordingSection.ts";
import { intFlag, jsonFile } from "./benchArgs.ts";
import { median } from "../../common/index.ts";

const runs = intFlag("--runs", 5);

// A 45 m row so that a CropFollow run lasts the full 60 s at 0.6 m/s (the shipped rows are 30 m).
const dir = mkdtempSync(join(tmpdir(), "bench-loop-"));
const longRow = join(dir, "cropfield-long.json");
writeFileSync(
  longRow,
  JSON.stringify({ ...loadWorldPreset("cropfield-straight"), name: "cropfield-long", rows: { count: 6, spacing: 0.76, length: 45 } }),
);

async function realtimeFactor(cfg: RunConfigInput, worldName: string): Promise<{ rtf: number; simSeconds: number; buildMs: number }> {
  const t0 = performance.now();
  const world = buildWorld(loadWorldPreset(worldName), 1);
  const buildMs = performance.now() - t0;
  const rtfs: number[] = [];
  let simSeconds = 0;
  for (let k = 0; k <= runs; k++) {
    const start = performance.now();
    const r = await runPipeline(cfg, 1, { world });
    const wall = (performance.now() - start) / 1000;
    simSeconds = r.summary.duration;
    if (k > 0) rtfs.push(r.summary.duration / wall);
  }
  return { rtf: median(rtfs), simSeconds, buildMs };
}

const crop = await realtimeFactor(
  { pipeline: "cropfollow", world: longRow, perception: { kind: "injected", heading: { std: 0.05 }, distance: { std: 0.05 } }, maxTime: 60 },
  longRow,
);
const gem = await realtimeFactor(
  {
    pipeline: "gem",
    world: "gem-track",
    perception: { kind: "injected", lane: { dropRate: 0.2, falsePositiveRate: 0.001, shiftStdPx: 1 } },
    maxTime: 60,
  },
  "gem-track",
);

// For comparison (table only): the same GEM run with masks rasterized by the simulator instead of drawn exactly; one run.
const gemRendered = await (async () => {
  const world = buildWorld(loadWorldPreset("gem-track"), 1);
  const start = performance.now();
  const r = await runPipeline(
    {
      pipeline: "gem",
      world: "gem-track",
      perception: { kind: "injected", laneMask: "rendered", lane: { dropRate: 0.2, falsePositiveRate: 0.001, shiftStdPx: 1 } },
      maxTime: 60,
    },
    1,
    { world },
  );
  return r.summary.duration / ((performance.now() - start) / 1000);
})();

async function seedsPerSecond(workers: number): Promise<number> {
  const qos = new QosEvaluator({ workers, seeds: 4 });
  const rates: number[] = [];
  try {
    for (let k = 0; k <= runs; k++) {
      const cfg: RunConfigInput = {
        pipeline: "cropfollow",
        world: "cropfield-straight",
        perception: { kind: "injected", heading: { std: 0.02 + 0.01 * k }, distance: { std: 0.02 } },
      };
      const start = performance.now();
      const r = await qos.evaluate(cfg, { collisions: 0 });
      const wall = (performance.now() - start) / 1000;
      if (r.cached) throw new Error("bench: unexpected cache hit");
      if (k > 0) rates.push(r.seeds.length / wall);
    }
  } finally {
    await qos.close();
  }
  return median(rates);
}

const recording = await benchRecording(longRow, runs);
const qos1 = await seedsPerSecond(1);
const qos2 = await seedsPerSecond(2);

const rows: [string, string, string][] = [
  [
    "CropFollow injected, 60 s run (no rendering)",
    `${crop.rtf.toFixed(0)}× real time`,
    `target ≥ 200×; ${crop.simSeconds.toFixed(1)} s simulated; world build ${crop.buildMs.toFixed(0)} ms (cached by workers)`,
  ],
  [
    "GEM injected masks, 60 s run (exact projection)",
    `${gem.rtf.toFixed(0)}× real time`,
    `${gem.simSeconds.toFixed(1)} s simulated; 160×120 masks at 20 FPS; world build ${gem.buildMs.toFixed(0)} ms`,
  ],
  [
    "GEM injected masks, 60 s run (rendered masks)",
    `${gemRendered.toFixed(0)}× real time`,
    "one run; simulator's lane-mask rasterization instead of exact projection",
  ],
  [
    "CropFollow 60 s run, --record failing",
    `${recording.overheadPercent >= 0 ? "+" : ""}${recording.overheadPercent.toFixed(1)} %`,
    `target ≤ 5 %; ${recording.failingMs.toFixed(0)} vs ${recording.noneMs.toFixed(0)} ms wall (no recording); interleaved pairs`,
  ],
  [
    "Replay of a 60 s run (no frames)",
    `${(recording.bytes / 1e6).toFixed(2)} MB`,
    `target ≤ 2 MB; ${recording.simSeconds.toFixed(1)} s simulated, trajectory at 20 Hz, perception at 10 FPS`,
  ],
  ["QosEvaluator, 1 worker", `${qos1.toFixed(2)} seeds/s`, "CropFollow injected, full 30 m row (~50 s simulated per seed)"],
  ["QosEvaluator, 2 workers", `${qos2.toFixed(2)} seeds/s`, `speed-up ${(qos2 / qos1).toFixed(2)}× over 1 worker`],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`bench:loop (median of ${runs} after a warm-up)`);
for (const r of rows) console.log(`${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`);

// ---- NN in the loop (models helper; see loopOnnxSection.ts): shipped CNNs on rendered frames, one core ----
const onnxLoop = await benchOnnxLoop({ runs: Math.min(runs, 3) });

if (jsonFile) {
  writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        "loop.cropfollow.injected.realtimeFactor": crop.rtf,
        "loop.gem.injected.realtimeFactor": gem.rtf,
        "loop.record.failingOverheadPercent": recording.overheadPercent,
        "loop.record.replayBytes60s": recording.bytes,
        "loop.qos.seedsPerSecond.workers1": qos1,
        "loop.qos.seedsPerSecond.workers2": qos2,
        "loop.cropfollow.onnx.realtimeFactor": onnxLoop.cropfollow.realtimeFactor,
        "loop.gem.onnx.realtimeFactor": onnxLoop.gem.realtimeFactor,
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`wrote ${jsonFile}`);
}
