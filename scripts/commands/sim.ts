import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { LineWriter, OutputFolder, writeFileAtomic } from "../../common/index.ts";
import { createSimulation, ROBOT_KINDS, trackingTruth, writePng, type RobotKind, type TrajectoryLine } from "../../sim/index.ts";
import { loadWorldPreset, type WorldPreset } from "../../worlds/index.ts";
import { choiceOption, intArg, numberArg, numberSchema, option } from "../options/index.ts";
import { stepProgress } from "../progress/stepProgress.ts";
import { parseDrive } from "../sim/driveSchedule.ts";

interface SimCliOptions {
  world: string;
  seconds: number;
  seed: number;
  drive: string;
  out: string;
  frames?: boolean;
  fps: number;
  width: number;
  height: number;
  robot?: RobotKind;
}

/** `approxcaliper sim`: open-loop drive writing summary.json, trajectory.jsonl (see `TrajectoryLineSchema`) and optional camera frames. */
export function register(program: Command): void {
  program
    .command("sim")
    .description("drive a robot open-loop through a world; write summary.json, trajectory.jsonl and (with --frames) camera PNGs")
    .option("--world <preset-or-file>", "world preset name or JSON file", "cropfield-straight")
    .addOption(option("--seconds <s>", "simulated seconds", numberArg(numberSchema(0, 1e6)), 20))
    .addOption(option("--seed <n>", "run seed (world + sensor noise); seed 0 is the first seed of `run`", intArg(0), 0))
    .option("--drive <spec>", "straight | arc:<yaw-rate rad/s> | commands.jsonl", "straight")
    .option("--out <dir>", "output directory", "out/sim")
    .option("--frames", "write camera frames to <out>/frames/NNNNNN.png")
    .addOption(option("--fps <n>", "control ticks (trajectory lines, frames) per simulated second", numberArg(numberSchema(0.1, 1000)), 10))
    .addOption(option("--width <px>", "camera width", intArg(8, 4096), 160))
    .addOption(option("--height <px>", "camera height", intArg(8, 4096), 120))
    .addOption(choiceOption("--robot <kind>", "robot (default: terrasentia in crop fields, gem on tracks)", ROBOT_KINDS))
    .action(async (o: SimCliOptions) => runSim(o));
}

async function runSim(o: SimCliOptions): Promise<void> {
  const { seconds, seed, fps, width, height } = o;
  const preset = loadWorldPreset(o.world);
  const robot: RobotKind = o.robot ?? (preset.kind === "cropfield" ? "terrasentia" : "gem");
  const schedule = parseDrive(o.drive, robot);

  const wallStart = performance.now();
  const out = OutputFolder.open(o.out, { command: "sim" });
  try {
    await simulate(o, { preset, seed, robot, schedule, seconds, fps, width, height, wallStart });
  } finally {
    out.release();
  }
}

interface SimPlan {
  preset: WorldPreset;
  seed: number;
  robot: RobotKind;
  schedule: ReturnType<typeof parseDrive>;
  seconds: number;
  fps: number;
  width: number;
  height: number;
  wallStart: number;
}

async function simulate(o: SimCliOptions, { preset, seed, robot, schedule, seconds, fps, width, height, wallStart }: SimPlan): Promise<void> {
  const sim = createSimulation({ world: preset, seed, robot, camera: o.frames ? { width, height, fps } : undefined });
  const framesDir = join(o.out, "frames");
  if (o.frames) mkdirSync(framesDir, { recursive: true });
  // Streamed with backpressure: hours of simulated time keep memory flat and the file grows as the run goes.
  const traj = new LineWriter(join(o.out, "trajectory.jsonl"));

  const ticks = Math.round(seconds * fps);
  const stepsPerTick = 1 / fps / sim.dt;
  const progress =
    seconds >= 5 || o.frames ? stepProgress("sim", Math.round(seconds), { unit: "s simulated", lineEverySeconds: 10 }) : undefined;
  progress?.update(0);

  const body = sim.robot.body;
  let distance = 0;
  let next = 0;
  let steps = 0;
  const frame = o.frames ? new Uint8Array(width * height * 3) : undefined;
  for (let k = 0; k <= ticks; k++) {
    const t = sim.time;
    while (next < schedule.length && schedule[next].t <= t + 1e-9) sim.setCommand(schedule[next++].cmd);
    const cmd = next > 0 ? schedule[next - 1].cmd : undefined;
    const pose = sim.pose();
    const line: TrajectoryLine = { t, pose, velocity: sim.velocity(), command: cmd, truth: trackingTruth(sim.world, robot, pose) };
    await traj.write(JSON.stringify(line));
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
    progress?.update(Math.floor(sim.time));
  }
  progress?.update(Math.round(seconds));
  progress?.stop();
  await traj.close();

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
  await writeFileAtomic(join(o.out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  sim.dispose();
  console.log(
    `${preset.name}: ${summary.simSeconds.toFixed(1)} s simulated in ${summary.wallSeconds.toFixed(2)} s, ` +
      `${summary.distanceMeters.toFixed(2)} m, ${summary.collisions} collision(s) → ${o.out}`,
  );
}
