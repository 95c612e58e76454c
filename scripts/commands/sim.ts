import { mkdirSync, writeFileSync, createWriteStream } from "node:fs";
import { join } from "node:path";
import { SingleBar, Presets } from "cli-progress";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import { createSimulation, writePng, type RobotKind } from "../../sim/index.ts";
import { loadWorldPreset } from "../../worlds/index.ts";
import { parseDrive } from "../sim/driveSchedule.ts";

interface SimCliOptions {
  world: string;
  seconds: string;
  seed: string;
  drive: string;
  out: string;
  frames?: boolean;
  fps: string;
  width: string;
  height: string;
  robot?: string;
}

/** `approxcaliper sim`: open-loop drive writing summary.json, trajectory.jsonl and optional camera frames. */
export function register(program: Command): void {
  program
    .command("sim")
    .description("drive a robot open-loop through a world; write summary.json, trajectory.jsonl and (with --frames) camera PNGs")
    .option("--world <preset-or-file>", "world preset name or JSON file", "cropfield-straight")
    .option("--seconds <s>", "simulated seconds", "20")
    .option("--seed <n>", "run seed (world + sensor noise)", "1")
    .option("--drive <spec>", "straight | arc:<yaw-rate rad/s> | commands.jsonl", "straight")
    .option("--out <dir>", "output directory", "out/sim")
    .option("--frames", "write camera frames to <out>/frames/NNNNNN.png")
    .option("--fps <n>", "control ticks (trajectory lines, frames) per simulated second", "10")
    .option("--width <px>", "camera width", "160")
    .option("--height <px>", "camera height", "120")
    .option("--robot <kind>", "terrasentia | gem (default: terrasentia in crop fields, gem on tracks)")
    .action(async (o: SimCliOptions) => runSim(o));
}

function numberOption(name: string, raw: string, lo: number, hi: number, integer = false): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new InputError(`--${name}`, `expected ${integer ? "an integer" : "a number"} in [${lo}, ${hi}], got "${raw}"`);
  }
  return v;
}

async function runSim(o: SimCliOptions): Promise<void> {
  const seconds = numberOption("seconds", o.seconds, 0, 1e6);
  const seed = numberOption("seed", o.seed, -(2 ** 31), 2 ** 32, true);
  const fps = numberOption("fps", o.fps, 0.1, 1000);
  const width = numberOption("width", o.width, 8, 4096, true);
  const height = numberOption("height", o.height, 8, 4096, true);
  if (o.robot !== undefined && o.robot !== "terrasentia" && o.robot !== "gem") {
    throw new InputError("--robot", `expected "terrasentia" or "gem", got "${o.robot}"`);
  }
  const preset = loadWorldPreset(o.world);
  const robot: RobotKind = (o.robot as RobotKind | undefined) ?? (preset.kind === "cropfield" ? "terrasentia" : "gem");
  const schedule = parseDrive(o.drive, robot);

  const wallStart = performance.now();
  const sim = createSimulation({ world: preset, seed, robot, camera: o.frames ? { width, height, fps } : undefined });
  mkdirSync(o.out, { recursive: true });
  const framesDir = join(o.out, "frames");
  if (o.frames) mkdirSync(framesDir, { recursive: true });
  const traj = createWriteStream(join(o.out, "trajectory.jsonl"));

  const ticks = Math.round(seconds * fps);
  const stepsPerTick = 1 / fps / sim.dt;
  const bar = seconds >= 5 || o.frames ? new SingleBar({ format: "sim {bar} {percentage}% | {value}/{total} s simulated", hideCursor: true }, Presets.shades_classic) : undefined;
  bar?.start(Math.round(seconds), 0);

  const body = sim.robot.body;
  let distance = 0;
  let next = 0;
  let steps = 0;
  const frame = o.frames ? new Uint8Array(width * height * 3) : undefined;
  for (let k = 0; k <= ticks; k++) {
    const t = sim.time;
    while (next < schedule.length && schedule[next].t <= t + 1e-9) sim.setCommand(schedule[next++].cmd);
    const cmd = next > 0 ? schedule[next - 1].cmd : undefined;
    traj.write(`${JSON.stringify({ t, pose: sim.pose(), velocity: sim.velocity(), command: cmd })}\n`);
    if (frame) await writePng(join(framesDir, `${String(k).padStart(6, "0")}.png`), sim.renderCamera(frame), width, height);
    if (k === ticks) break;
    // Integer step targets keep tick times exact even when 1/fps is not a multiple of dt.
    const target = Math.round((k + 1) * stepsPerTick);
    for (; steps < target; steps++) {
      const x = body.position.x;
      const y = body.position.y;
      sim.step();
      distance += Math.hypot(body.position.x - x, body.position.y - y);
    }
    bar?.update(Math.floor(sim.time));
  }
  bar?.update(Math.round(seconds));
  bar?.stop();
  await new Promise<void>((resolve, reject) => traj.end((err?: Error | null) => (err ? reject(err) : resolve())));

  const summary = {
    world: preset.name,
    seed,
    robot,
    drive: o.drive,
    simSeconds: sim.time,
    wallSeconds: (performance.now() - wallStart) / 1000,
    collisions: sim.collisions.count,
    collisionEvents: sim.collisions.events,
    distanceMeters: distance,
    completed: sim.completed(),
    finalPose: sim.pose(),
    frames: frame ? ticks + 1 : 0,
  };
  writeFileSync(join(o.out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  sim.dispose();
  console.log(
    `${preset.name}: ${summary.simSeconds.toFixed(1)} s simulated in ${summary.wallSeconds.toFixed(2)} s, ` +
      `${summary.distanceMeters.toFixed(2)} m, ${summary.collisions} collision(s) → ${o.out}`,
  );
}
