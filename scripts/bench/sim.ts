/**
 * `npm run bench:sim [-- --json <file>] [--runs <n>]`: real-time factor of a 60 s TerraSentia run in
 * `cropfield-straight` (physics at 200 Hz), without rendering and with the camera rendering at
 * 10 FPS, 160×120. Medians over repeated runs in one process; world generation (once per seed) is
 * timed separately and not part of the real-time factor.
 * Targets: ≥ 300× without rendering, ≥ 20× with the camera.
 */
import { writeFileSync } from "node:fs";
import { buildWorld, loadWorldPreset } from "../../worlds/index.ts";
import { createSimulation } from "../../sim/index.ts";
import { intFlag, jsonFile } from "./benchArgs.ts";
import { median, spreadOf } from "../../common/index.ts";

const runs = intFlag("--runs", 5);

const SIM_SECONDS = 60;
const preset = loadWorldPreset("cropfield-straight");

const t = performance.now();
const world = buildWorld(preset, 1);
const worldMs = performance.now() - t;

/** One 60 s run; returns the real-time factors by wall time and by this process's CPU time. */
function run(seed: number, camera: boolean): [number, number] {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const sim = createSimulation({ world, seed, camera: camera ? { width: 160, height: 120, fps: 10 } : undefined });
  const frame = new Uint8Array(160 * 120 * 3);
  sim.setCommand({ v: 0.45, omega: 0 });
  for (let k = 0; k < SIM_SECONDS * 10; k++) {
    sim.advance(0.1);
    if (camera) sim.renderCamera(frame);
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (sim.collisions.count !== 0) throw new Error("benchmark drive collided; the world or robot changed");
  sim.dispose();
  return [sim.time / wall, sim.time / ((cpu.user + cpu.system) / 1e6)];
}

const noRender: number[] = [];
const camera: number[] = [];
const noRenderCpu: number[] = [];
const cameraCpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const [w, c] = run(i + 1, false);
  noRender.push(w);
  noRenderCpu.push(c);
}
for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) {
  const [w, c] = run(i + 1, true);
  camera.push(w);
  cameraCpu.push(c);
}

// The CPU-time column shows what a run costs when other processes compete for the cores; the metric is wall time.
const rows = [
  { metric: "sim.realtimeFactor.noRender", wall: spreadOf(noRender), cpu: median(noRenderCpu), target: "≥ 300" },
  { metric: "sim.realtimeFactor.camera10fps", wall: spreadOf(camera), cpu: median(cameraCpu), target: "≥ 20" },
];
console.log(`cropfield-straight, TerraSentia, ${SIM_SECONDS} s at 200 Hz; world generation ${worldMs.toFixed(0)} ms (not included)`);
console.table(
  rows.map(({ metric, wall, cpu, target }) => ({
    metric,
    median: Number(wall.median.toFixed(1)),
    min: Number(wall.min.toFixed(1)),
    max: Number(wall.max.toFixed(1)),
    "median by CPU time": Number(cpu.toFixed(1)),
    target,
    runs: wall.runs,
  })),
);
if (jsonFile) {
  writeFileSync(jsonFile, `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.metric, r.wall.median])), null, 2)}\n`);
  console.log(`wrote ${jsonFile}`);
}
