import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { InvalidArgumentError, type Command } from "commander";
import sharp from "sharp";
import { z } from "zod";
import { InputError, OutputFolder, seedRange, writeFileAtomic } from "../../common/index.ts";
import { backendFor, queueOption, QueueStatus } from "./queueOption.ts";
import {
  QosEvaluator,
  applicationNames,
  checkQosGoal,
  RECORD_MODES,
  configurationPasses,
  recordRun,
  recordingLayout,
  shouldRecord,
  writeRecording,
  type RecordMode,
  getApplication,
  LaneMaskErrorSchema,
  parseRunConfig,
  poolingAllowed,
  DEFAULT_LANE_MASK,
  RegressionErrorSchema,
  runPipeline,
  RunConfigSchema,
  seedPasses,
  trajectoryToJsonl,
  type ApplicationSpec,
  type LaneMaskErrorInput,
  type QosGoal,
  type RunConfig,
  type RunSummary,
  type StopReason,
} from "../../pipelines/index.ts";
import type { NnInjection } from "../../optimizer/index.ts";
import {
  checkedJsonArg,
  choiceOption,
  deprecatedAlias,
  existingPathArg,
  intArg,
  jsonArg,
  numberArg,
  numberSchema,
  option,
  seedOptions,
  zodArg,
} from "../options/index.ts";
import { applicationOption, checkWorldOption } from "../options/namedOptions.ts";

interface RunCliOptions {
  pipeline: string;
  world?: string;
  perception: "oracle" | "injected" | "onnx";
  headingBias?: number;
  headingStd?: number;
  distanceBias?: number;
  distanceStd?: number;
  tails?: number;
  laneError?: LaneMaskErrorInput;
  injection?: Record<string, unknown>;
  laneMask?: "exact" | "rendered";
  maskPool?: number;
  maskSize?: { width: number; height: number };
  fps?: number;
  latency: number;
  maxTime?: number;
  model?: string;
  distanceModel?: string;
  seeds: number;
  firstSeed: number;
  workers?: number;
  goal?: QosGoal;
  queue?: string;
  out: string;
  frames?: boolean;
  record: RecordMode;
  recordFrames?: number;
}

const perApplication = (fact: (app: ApplicationSpec) => unknown) =>
  applicationNames()
    .map((n) => `${String(fact(getApplication(n)))} for ${n}`)
    .join(", ");

/** `approxcaliper run`: closed-loop runs of one configuration over K seeds, with a QoS verdict. */
export function register(program: Command): void {
  const command = program
    .command("run")
    .description("run a closed-loop pipeline (perception → estimation → control) over K seeds; write summary.json and per-seed trajectory.jsonl")
    .addOption(applicationOption())
    .option("--world <preset-or-file>", `world preset name or JSON file (default: ${perApplication((a) => a.world.default)})`)
    .addOption(choiceOption("--perception <kind>", "perception source", ["oracle", "injected", "onnx"], "oracle"))
    .addOption(option("--heading-bias <rad>", "injected: heading φ bias (rad)", numberArg(RegressionErrorSchema.shape.bias)))
    .addOption(option("--heading-std <rad>", "injected: heading φ standard deviation (rad)", numberArg(RegressionErrorSchema.shape.std)))
    .addOption(option("--distance-bias <ratio>", "injected: distance-ratio d bias", numberArg(RegressionErrorSchema.shape.bias)))
    .addOption(option("--distance-std <ratio>", "injected: distance-ratio d standard deviation", numberArg(RegressionErrorSchema.shape.std)))
    .addOption(
      option(
        "--tails <nu>",
        "injected: Student-t degrees of freedom (> 2) for heavy-tailed heading and distance noise",
        numberArg(RegressionErrorSchema.shape.nu),
      ),
    )
    .addOption(
      option(
        "--lane-error <json>",
        'injected (gem): lane-mask pixel errors, e.g. {"dropRate":0.3,"falsePositiveRate":0.001,"shiftPx":2,"shiftStdPx":1}',
        jsonArg(LaneMaskErrorSchema),
      ),
    )
    .addOption(
      option(
        "--injection <json>",
        'injected, any application: errors by network name, as the optimizer injects them, e.g. {"lanepose":{"kind":"gaussian","bias":[0.5,0],"std":[0.3,0.01]}} (gem-pursuit)',
        jsonArg(z.record(z.string(), z.unknown(), { error: "expected a JSON object keyed by network name" })),
      ),
    )
    .addOption(
      choiceOption(
        "--lane-mask <mode>",
        "oracle/injected (gem): the true mask, exact (drawn from the track, unworn paint) or rendered (the paint still present, cones occluding)",
        ["exact", "rendered"],
      ),
    )
    .addOption(
      option(
        "--mask-pool <n>",
        "oracle/injected (gem), with --lane-mask rendered: draw the mask at n × the mask size and max-pool it, as a LaneNet's labels",
        intArg(1, 8),
      ),
    )
    .addOption(
      option(
        "--mask-size <WxH>",
        "oracle/injected (gem): mask size in pixels, e.g. 64x32 (a LaneNet's output grid)",
        zodArg(RunConfigSchema.shape.maskSize, maskSizeText),
        undefined,
        `${DEFAULT_MASK_SIZE.width}x${DEFAULT_MASK_SIZE.height}`,
      ),
    )
    .addOption(option("--fps <n>", `perception rate (default: ${perApplication((a) => a.defaults.fps)})`, numberArg(RunConfigSchema.shape.fps)))
    .addOption(option("--latency <s>", "perception latency in simulated seconds", numberArg(RunConfigSchema.shape.latency), 0))
    .addOption(
      option(
        "--max-time <s>",
        "stop each run after this much simulated time (default: 1.6× the time to cover the row/route + 5 s)",
        numberArg(RunConfigSchema.shape.maxTime),
      ),
    )
    .addOption(
      option(
        "--model <path>",
        "onnx: the .onnx model run on rendered frames (cropfollow: (φ, d), or φ alone with --distance-model; gem: lane mask)",
        existingPathArg("file"),
      ),
    )
    .addOption(
      option(
        "--distance-model <path>",
        "onnx, cropfollow: a separate distance-ratio network (e.g. models/distance.onnx with --model models/heading.onnx)",
        existingPathArg("file"),
      ),
    );
  seedOptions(command, 5)
    .addOption(option("--workers <n>", "worker threads (0 runs in-process)", intArg(0, 256), undefined, "CPU count, at most K"))
    .addOption(queueOption())
    .addOption(
      option(
        "--goal <json>",
        `QoS goal (default: the application's, ${perApplication((a) => JSON.stringify(a.goal))})`,
        checkedJsonArg(checkQosGoal),
      ),
    )
    .option("--out <dir>", "output directory", "out/run")
    .option("--frames", "also write camera frames (PNG) to <out>/seed-<n>/frames/ (runs in-process)")
    .addOption(
      choiceOption(
        "--record <which>",
        "replays (recording.json, perception.jsonl) of the failing, all or none of the seeds; open them with `approxcaliper view <out>`",
        RECORD_MODES,
        "failing",
      ),
    )
    .addOption(
      option(
        "--record-frames <fps>",
        "add camera frames (JPEG, perception output drawn) at this rate to each replay (the recorded seeds are re-run in-process)",
        numberArg(numberSchema(0.1, 100)),
      ),
    );
  deprecatedAlias(command, "--seed <first>", "--first-seed");
  command.action(async (o: RunCliOptions) => runCommand(o));
}

/** The run config's default `maskSize`, for `--mask-size`'s help. */
const DEFAULT_MASK_SIZE = RunConfigSchema.shape.maskSize.parse(undefined);

/** `--mask-size` text, "WxH", as the run config's `maskSize`. */
function maskSizeText(text: string): unknown {
  const m = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`expected WxH in pixels, e.g. 64x32, got "${text}"`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** `--injection`: errors by network name, each of the kind its network's spec injects. */
function injectionFlag(app: ApplicationSpec, errors: Record<string, unknown>): Record<string, NnInjection> {
  for (const [name, err] of Object.entries(errors as Record<string, { kind?: unknown }>)) {
    const network = app.networks.find((n) => n.name === name);
    if (!network)
      throw new InputError("--injection", `unknown network "${name}" for ${app.name}; expected ${app.networks.map((n) => n.name).join(", ")}`);
    if (err?.kind !== network.injection) throw new InputError(`--injection: ${name}.kind`, `expected "${network.injection}"`);
  }
  return errors as Record<string, NnInjection>;
}

/** Builds the validated run configuration from the command-line options; checks the world. */
export function runConfigFromOptions(o: RunCliOptions): RunConfig {
  const app = getApplication(o.pipeline, "--pipeline");
  const pipeline = app.name;
  // The injected-error flags set the perception's regression errors (heading φ, distance d) or its lane-mask error.
  const regression = app.networks.some((n) => n.injection === "gaussian");
  const laneMask = app.networks.some((n) => n.injection === "lane-mask");
  const kind = o.perception;
  const rowFlags = [o.headingBias, o.headingStd, o.distanceBias, o.distanceStd, o.tails].some((x) => x !== undefined);
  if (kind !== "injected" && (rowFlags || o.laneError !== undefined)) {
    throw new InputError("--perception", "error options (--heading-*, --distance-*, --tails, --lane-error) need --perception injected");
  }
  if (o.injection !== undefined && (kind !== "injected" || rowFlags || o.laneError !== undefined)) {
    throw new InputError("--injection", "needs --perception injected and no other error option");
  }
  if (rowFlags && !app.networks.some((n) => n.name === "heading" || n.name === "distance")) {
    throw new InputError("--heading-std", `${pipeline} has no heading or distance network: use --injection`);
  }
  if (!regression && rowFlags) throw new InputError("--heading-std", `${pipeline} perception is a lane mask: use --lane-error`);
  if (!laneMask && o.laneError !== undefined)
    throw new InputError("--lane-error", `${pipeline} perception is (φ, d): use --heading-* / --distance-*`);
  const masks = { ...(o.laneMask !== undefined && { laneMask: o.laneMask }), ...(o.maskPool !== undefined && { maskPool: o.maskPool }) };
  if (o.laneMask !== undefined || o.maskPool !== undefined || o.maskSize !== undefined) {
    const flag = o.laneMask !== undefined ? "--lane-mask" : o.maskPool !== undefined ? "--mask-pool" : "--mask-size";
    if (!laneMask) throw new InputError(flag, `${pipeline} perception is not a lane mask`);
    if (kind === "onnx") throw new InputError(flag, "needs --perception oracle or injected (an ONNX LaneNet's mask is its output)");
    if (o.maskPool !== undefined && !poolingAllowed(o.laneMask ?? DEFAULT_LANE_MASK, o.maskPool))
      throw new InputError("--mask-pool", "needs --lane-mask rendered");
  }
  if (kind === "onnx" && o.model === undefined) throw new InputError("--model", "--perception onnx needs --model <path.onnx>");
  if (kind !== "onnx" && o.model !== undefined) throw new InputError("--model", "--model is only used with --perception onnx");
  if (o.distanceModel !== undefined && (kind !== "onnx" || !app.networks.some((n) => n.name === "distance"))) {
    throw new InputError(
      "--distance-model",
      "--distance-model is only used with --perception onnx by a pipeline with a distance network (cropfollow)",
    );
  }
  let perception: unknown;
  if (kind === "oracle") perception = { kind, ...masks };
  else if (kind === "onnx") perception = { kind, model: o.model, ...(o.distanceModel !== undefined ? { distanceModel: o.distanceModel } : {}) };
  else if (o.injection !== undefined) perception = { ...app.injectedPerception(injectionFlag(app, o.injection)), ...masks };
  else {
    const nu = o.tails;
    perception = {
      kind,
      heading: { bias: o.headingBias ?? 0, std: o.headingStd ?? 0, nu },
      distance: { bias: o.distanceBias ?? 0, std: o.distanceStd ?? 0, nu },
      ...(o.laneError !== undefined ? { lane: o.laneError } : {}),
      ...masks,
    };
  }
  const world = o.world ?? app.world.default;
  checkWorldOption(app, world);
  return parseRunConfig(
    { pipeline, world, perception, fps: o.fps, latency: o.latency, maxTime: o.maxTime, ...(o.maskSize && { maskSize: o.maskSize }) },
    "options",
  );
}

async function runCommand(o: RunCliOptions): Promise<void> {
  // Everything is checked before the output folder exists.
  const config = runConfigFromOptions(o);
  const goal = o.goal ?? getApplication(config.pipeline).goal;
  const seeds = seedRange(o.seeds, o.firstSeed);
  const workers = o.workers ?? Math.min(seeds.length, availableParallelism());
  if (o.queue !== undefined && o.frames)
    throw new InputError("--frames", "frames are written by this process, so --frames runs locally; drop --queue");
  const out = OutputFolder.open(o.out, { command: "run" });
  try {
    removeStaleSeeds(o.out, seeds);
    await runSeeds(o, config, goal, seeds, workers);
  } finally {
    out.release();
  }
}

/** Removes `seed-<n>` folders a previous run left for seeds this run does not have, so the folder holds one run. */
function removeStaleSeeds(out: string, seeds: number[]): void {
  const keep = new Set(seeds.map((s) => `seed-${s}`));
  const stale = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory() && /^seed-\d+$/.test(d.name) && !keep.has(d.name));
  for (const d of stale) rmSync(join(out, d.name), { recursive: true, force: true });
  if (stale.length > 0) console.log(`removed ${stale.length} seed folder(s) of a previous run from ${out}`);
}

/**
 * Writes one finished seed to `<out>/seed-<n>/` so that memory keeps only summaries: its trajectory and
 * summary, and its replay when `record` picks it (by the seed's own verdict).
 */
async function writeSeed(out: string, run: RunSummary, config: RunConfig, goal: QosGoal, record: RecordMode): Promise<void> {
  const dir = join(out, `seed-${run.seed}`);
  mkdirSync(dir, { recursive: true });
  const pass = seedPasses(run, goal);
  if (run.trajectory && shouldRecord(record, pass)) writeRecording(dir, { config, seed: run.seed, summary: run, goal, pass });
  else if (run.trajectory)
    await writeFileAtomic(join(dir, "trajectory.jsonl"), trajectoryToJsonl(run.trajectory, recordingLayout(config.pipeline).robot));
  const { trajectory: _t, perception: _p, ...summary } = run;
  await writeFileAtomic(join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
}

async function runSeeds(o: RunCliOptions, config: RunConfig, goal: QosGoal, seeds: number[], workers: number): Promise<void> {
  const progress = seedProgress(seeds.length, goal);
  const wall = performance.now();
  let perSeed: (RunSummary & { pass: boolean })[];
  let pass: boolean;
  let hash: string;
  if (o.frames) {
    // Frames are written by this thread, so the seeds run here one after another.
    perSeed = [];
    for (const seed of seeds) {
      const dir = join(o.out, `seed-${seed}`, "frames");
      mkdirSync(dir, { recursive: true });
      let n = 0;
      const { summary, trajectory, perception } = await runPipeline(config, seed, {
        recordPerception: o.record !== "none",
        frames: {
          width: 320,
          height: 240,
          every: 1 / (config.fps ?? getApplication(config.pipeline).defaults.fps),
          onFrame: async (rgb, width, height) => {
            await sharp(rgb, { raw: { width, height, channels: 3 } })
              .png()
              .toFile(join(dir, `${String(n++).padStart(6, "0")}.png`));
          },
        },
      });
      summary.trajectory = trajectory.values();
      summary.perception = perception?.values();
      await writeSeed(o.out, summary, config, goal, o.record);
      delete summary.perception;
      delete summary.trajectory;
      perSeed.push({ ...summary, pass: seedPasses(summary, goal) });
      progress.done(summary);
    }
    pass = configurationPasses(perSeed.filter((r) => r.pass).length, seeds.length, goal);
    hash = QosEvaluator.hash(config, seeds);
  } else {
    const status = new QueueStatus();
    const bar =
      o.queue !== undefined && process.stderr.isTTY
        ? new SingleBar({ format: "runs {bar} {value}/{total}{queue}" }, Presets.shades_classic)
        : undefined;
    bar?.start(seeds.length, 0, { queue: "" });
    status.onChange = () => bar?.update(status.done(), { queue: status.text() });
    const backend = o.queue !== undefined ? backendFor(o.queue, workers, status) : undefined;
    const onRun = async (run: RunSummary) => {
      await writeSeed(o.out, run, config, goal, o.record);
      progress.done(run);
    };
    const qos = new QosEvaluator({ workers, backend, trajectories: true, recordings: o.record !== "none", onRun });
    try {
      const r = await qos.evaluate(config, goal, seeds);
      perSeed = r.perSeed;
      pass = r.pass;
      hash = r.hash;
    } finally {
      bar?.stop();
      await qos.close();
    }
  }
  progress.stop();
  const recorded = perSeed.filter((s) => shouldRecord(o.record, s.pass)).map((s) => s.seed);
  if (o.recordFrames !== undefined) {
    // Frames need the camera: the recorded seeds run again here (checked bit for bit against the first run).
    for (const s of perSeed.filter((x) => recorded.includes(x.seed))) {
      await recordRun(join(o.out, `seed-${s.seed}`), config, s.seed, { summary: s, goal, pass: s.pass, frames: { fps: o.recordFrames } });
    }
  }
  const wallSeconds = (performance.now() - wall) / 1000;

  const summary = {
    pipeline: config.pipeline,
    world: config.world,
    perception: config.perception,
    config,
    goal,
    seeds,
    pass,
    collisions: perSeed.reduce((a, s) => a + s.collisions, 0),
    hash,
    wallSeconds,
    recorded,
    perSeed: perSeed.map(({ trajectory: _t, perception: _p, ...s }) => s),
  };
  await writeFileAtomic(join(o.out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  printTable(config, perSeed, pass, summary.collisions, wallSeconds, o.out);
  if (recorded.length > 0) console.log(`replays of seed(s) ${recorded.join(", ")}: approxcaliper view ${o.out}`);
}

function printTable(
  config: RunConfig,
  perSeed: (RunSummary & { pass: boolean })[],
  pass: boolean,
  collisions: number,
  wall: number,
  out: string,
): void {
  const p = config.perception;
  const app = getApplication(config.pipeline);
  const injects = (kind: string) => app.networks.some((n) => n.injection === kind);
  const perc =
    p.kind === "injected"
      ? [
          ...(injects("gaussian") && app.networks.some((n) => n.name === "heading" || n.name === "distance")
            ? [
                `injected φ bias ${p.heading.bias} std ${p.heading.std}, d bias ${p.distance.bias} std ${p.distance.std}${p.heading.nu ? `, t(ν=${p.heading.nu})` : ""}`,
              ]
            : []),
          ...(injects("lane-mask") ? [`injected lane ${JSON.stringify(p.lane)}`] : []),
          ...(p.networks ? [`injected ${JSON.stringify(p.networks)}`] : []),
        ].join("; ")
      : p.kind === "onnx"
        ? `onnx ${p.model}${p.distanceModel ? ` + ${p.distanceModel}` : ""}`
        : "oracle";
  console.log(`${config.pipeline} on ${config.world}, perception ${perc}, ${config.fps ?? app.defaults.fps} FPS, latency ${config.latency} s`);
  const head = ["seed", "pass", "collisions", "stopped by", "distance m", "time s", "xtrack RMS m", "xtrack max m", "heading RMS rad"];
  const rows = perSeed.map((s) => [
    String(s.seed),
    s.pass ? "yes" : "NO",
    String(s.collisions),
    STOP_REASONS[s.stopReason],
    s.distanceMeters.toFixed(1),
    s.duration.toFixed(1),
    s.crossTrackRms.toFixed(3),
    s.crossTrackMax.toFixed(3),
    s.headingRms.toFixed(3),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padStart(w[i])).join("  ");
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(
    `${pass ? "PASS" : "FAIL"}: ${perSeed.filter((s) => s.pass).length}/${perSeed.length} seeds meet the goal; ${collisions} collisions in total; ` +
      `${wall.toFixed(1)} s wall; wrote ${join(out, "summary.json")}`,
  );
}

/** How a run ended, as the table says it. */
const STOP_REASONS: Record<StopReason, string> = { completed: "end reached", timeout: "time limit", collisions: "collisions" };

/**
 * Per-seed progress on stderr: a bar on a terminal, else one line per
 * finished seed (so logs of CI runs show it too).
 */
function seedProgress(total: number, goal: QosGoal): { done(run: RunSummary): void; stop(): void } {
  const tty = process.stderr.isTTY === true;
  const bar = tty ? new SingleBar({ format: "run {bar} {value}/{total} seeds | {status}" }, Presets.shades_classic) : undefined;
  bar?.start(total, 0, { status: "" });
  let done = 0;
  return {
    done(run) {
      done++;
      const status = `seed ${run.seed}: ${seedPasses(run, goal) ? "pass" : "FAIL"}, ${STOP_REASONS[run.stopReason]} after ${run.duration.toFixed(1)} s, ${run.collisions} collision(s)`;
      if (bar) bar.update(done, { status });
      else process.stderr.write(`[${done}/${total}] ${status}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}
