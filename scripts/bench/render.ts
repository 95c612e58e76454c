/**
 * `npm run bench:render [-- --json <file>] [--frames <n>]`: milliseconds per frame of the software
 * renderer (one thread) for `cropfield-straight` at 160×120 and 320×240 and `gem-track` at 320×240,
 * with the camera moving along the world from its start pose (crop field: 0.3 m high, pitched 10°
 * down; track: 1.6 m high, 5° down; 90° horizontal FOV). Each metric is the wall-clock median over
 * `--frames` frames (default 60) after 30 warm-up frames (JIT and texture set-up). When
 * /usr/bin/chromium exists, the same field frames are rendered by three.js `WebGLRenderer` in
 * headless Chromium (SwiftShader), timed until the RGB pixels are back in Node, and the speed-up is
 * the ratio of the two medians.
 * Targets: ≤ 5 ms/frame for the field at 160×120, ≥ 8× faster than Chromium.
 * JSON keys: `render.field160.ms`, `render.field320.ms`, `render.gem320.ms`,
 * `render.chromium.field160.ms`, `render.speedupVsChromium` (the last two only with Chromium).
 */
import { writeFileSync } from "node:fs";
import * as THREE from "three";
import { SoftwareRenderer } from "../../sim/index.ts";
import { buildWorld, loadWorldPreset, type BuiltWorld } from "../../worlds/index.ts";
import { ChromiumReference, chromiumUnavailableReason, meanAbsDiff } from "../../test/fixtures/chromiumReference.ts";
import { intFlag, jsonFile } from "./benchArgs.ts";
import { median } from "../../common/index.ts";

const frames = intFlag("--frames", 60);
const WARMUP = 30;

/** Moves `camera` to frame `i` of the drive: forward along the start heading with a gentle yaw sway. */
function placeCamera(camera: THREE.PerspectiveCamera, world: BuiltWorld, i: number): void {
  const track = world.kind === "track";
  const { x, y, yaw } = world.startPose;
  const s = i * (track ? 0.4 : 0.05);
  const heading = yaw + 0.08 * Math.sin(i * 0.2);
  const height = track ? 1.6 : 0.3;
  const pitch = ((track ? 5 : 10) * Math.PI) / 180;
  const px = x + s * Math.cos(yaw),
    py = y + s * Math.sin(yaw);
  camera.position.set(px, py, height);
  camera.lookAt(px + Math.cos(heading) * Math.cos(pitch), py + Math.sin(heading) * Math.cos(pitch), height - Math.sin(pitch));
  camera.updateMatrixWorld();
}

function makeCamera(width: number, height: number): THREE.PerspectiveCamera {
  const vfov = (2 * Math.atan(Math.tan(Math.PI / 4) * (height / width)) * 180) / Math.PI;
  const camera = new THREE.PerspectiveCamera(vfov, width / height, 0.05, 200);
  camera.up.set(0, 0, 1);
  return camera;
}

interface Timing {
  wall: number;
  cpu: number;
}

function benchSoftware(world: BuiltWorld, width: number, height: number): Timing {
  const renderer = new SoftwareRenderer({ width, height });
  const camera = makeCamera(width, height);
  const target = new Uint8Array(width * height * 3);
  const wall: number[] = [],
    cpu: number[] = [];
  for (let i = 0; i < WARMUP + frames; i++) {
    placeCamera(camera, world, i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    renderer.render(world.scene, camera, target);
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    if (i >= WARMUP) {
      wall.push(t1 - t0);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  return { wall: median(wall), cpu: median(cpu) };
}

async function benchChromium(world: BuiltWorld, width: number, height: number): Promise<{ wall: number; mad: number }> {
  const ref = await ChromiumReference.launch(width, height);
  try {
    await ref.loadScene(world.scene);
    const camera = makeCamera(width, height);
    const ours = new SoftwareRenderer({ width, height });
    const wall: number[] = [];
    const mads: number[] = [];
    for (let i = 0; i < WARMUP + frames; i++) {
      placeCamera(camera, world, i);
      const t0 = performance.now();
      const pixels = await ref.render(camera);
      const t1 = performance.now();
      if (i >= WARMUP) {
        wall.push(t1 - t0);
        mads.push(meanAbsDiff(pixels, ours.render(world.scene, camera)));
      }
    }
    return { wall: median(wall), mad: median(mads) };
  } finally {
    await ref.close();
  }
}

const field = buildWorld(loadWorldPreset("cropfield-straight"), 1);
const gem = buildWorld(loadWorldPreset("gem-track"), 1);
const field160 = benchSoftware(field, 160, 120);
const field320 = benchSoftware(field, 320, 240);
const gem320 = benchSoftware(gem, 320, 240);

const json: Record<string, number> = {
  "render.field160.ms": field160.wall,
  "render.field320.ms": field320.wall,
  "render.gem320.ms": gem320.wall,
};
const rows: Record<string, string | number>[] = [
  { metric: "render.field160.ms", "median ms": field160.wall, "median CPU ms": field160.cpu, target: "≤ 5" },
  { metric: "render.field320.ms", "median ms": field320.wall, "median CPU ms": field320.cpu, target: "" },
  { metric: "render.gem320.ms", "median ms": gem320.wall, "median CPU ms": gem320.cpu, target: "" },
];
const unavailable = chromiumUnavailableReason();
let note = "";
if (unavailable === null) {
  const chromium = await benchChromium(field, 160, 120);
  json["render.chromium.field160.ms"] = chromium.wall;
  json["render.speedupVsChromium"] = chromium.wall / field160.wall;
  rows.push({ metric: "render.chromium.field160.ms", "median ms": chromium.wall, "median CPU ms": "", target: "" });
  rows.push({ metric: "render.speedupVsChromium", "median ms": json["render.speedupVsChromium"], "median CPU ms": "", target: "≥ 8" });
  note = `; software vs Chromium frames: median mean |Δ| ${chromium.mad.toFixed(2)}/255`;
} else {
  note = `; Chromium comparison skipped: ${unavailable}`;
}
for (const row of rows)
  for (const k of ["median ms", "median CPU ms"]) if (typeof row[k] === "number") row[k] = Number((row[k] as number).toFixed(2));
console.log(`${frames} frames per metric after ${WARMUP} warm-up frames, camera moving${note}`);
console.log("Wall-clock medians are the metrics; the CPU-time column shows the cost without competition for the cores.");
console.table(rows);
if (jsonFile) {
  writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${jsonFile}`);
}
