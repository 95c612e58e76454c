import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { InputError, OutputFolder, seedRange, writeFileAtomic } from "../../common/index.ts";
import {
  boundarySvg,
  errorCalibrate,
  ErrorDistribution,
  ErrorMetric,
  gaussianFamily,
  laneDropFamily,
  metricByName,
  type CalibrationProgress,
  type Constraints,
  type ErrorCalibrateOptions,
  type ErrorFamily,
  type KnobAxis,
  type ModelRunner,
  type QosOracle,
} from "../../optimizer/index.ts";
import {
  ApplicationQos,
  RECORD_MODES,
  getApplication,
  readTuningConfig,
  configSeeds,
  setupTuning,
  tuningErrorDistribution,
  type ApplicationSpec,
  type RecordMode,
  type TuningConfig,
  type TuningSetup,
} from "../../pipelines/index.ts";
import { REPLAYS_FOLDER, replayPointLink, writeViewer } from "../../viewer/index.ts";
import { backendFor, queueOption, QueueStatus } from "./queueOption.ts";
import { choiceOption, existingPathArg, option } from "../options/index.ts";
import { applicationOption, checkWorldOption } from "../options/namedOptions.ts";
import { addCalibrateFlags, defaultMetricsFlag, parseCalibrateFlags, type CalibrateFlags, type CalibrateFlagValues } from "./calibrateFlags.ts";

interface CalibrateCliOptions extends CalibrateFlagValues {
  pipeline: string;
  config?: string;
  out: string;
  queue?: string;
  record: RecordMode;
}

/**
 * `approxcaliper calibrate --pipeline <application> --out dir [--config c.json] [flags]`:
 * ApproxCaliper phase 1 — the metric-budget boundary of the QoS goal. With
 * `--config`, the error families are measured from the configured
 * approximators on the dataset; without it, closed-form families (Gaussian
 * regression errors, dropped lane pixels) stand in and no model is needed.
 * Writes `constraints.json` (for `approxcaliper optimize`),
 * `error-distribution.json`, `boundary.svg` and the resumable
 * `evaluations.jsonl` checkpoint.
 */
export function register(program: Command): void {
  const command = program
    .command("calibrate")
    .description("calibrate how much NN error the application tolerates (writes constraints.json for optimize)")
    .addOption(applicationOption())
    .requiredOption("--out <dir>", "output folder (constraints.json, evaluations.jsonl, boundary.svg, error-distribution.json)")
    .addOption(
      option(
        "--config <file>",
        "JSON config: models, dataset, approximators, calibration (see TuningConfigSchema); the flags below override its fields, their defaults apply without it",
        existingPathArg("file"),
      ),
    )
    .addOption(queueOption())
    .addOption(
      choiceOption(
        "--record <which>",
        "replays of the failing, all or none of the QoS runs; open <out>/viewer.html (linked from boundary.svg)",
        RECORD_MODES,
        "failing",
      ),
    );
  addCalibrateFlags(command).action(async (o: CalibrateCliOptions) => {
    const spec = getApplication(o.pipeline, "--pipeline");
    const out = resolve(o.out);
    const constraints = o.config
      ? await calibrateWithConfig(spec, o.config, parseCalibrateFlags(o, spec), out, o.queue, o.record)
      : await calibrateClosedForm(
          spec,
          parseCalibrateFlags({ ...o, metrics: o.metrics ?? defaultMetricsFlag(spec) }, spec, CLOSED_FORM_SEEDS),
          out,
          o.queue,
          o.record,
        );
    console.log(
      `${constraints.points.length} QoS evaluations: ${constraints.passPoints.length} pass, ${constraints.failPoints.length} fail; ${(100 * constraints.classifiedFraction()).toFixed(1)}% of the budget space classified`,
    );
    console.log(`wrote ${join(out, "constraints.json")}, ${join(out, "evaluations.jsonl")} and ${join(out, "boundary.svg")}`);
  });
}

/** Seeds per evaluation without `--config` or `--seeds`. */
const CLOSED_FORM_SEEDS = 5;

/**
 * Writes `<dir>/viewer.html` when `dir/replays` holds recorded QoS runs; returns a line saying so, or
 * undefined when nothing was recorded.
 */
export async function writeReplayViewer(dir: string): Promise<string | undefined> {
  if (!existsSync(join(dir, REPLAYS_FOLDER))) return undefined;
  const page = await writeViewer(dir);
  return `replays of ${page.replays} QoS run(s): ${page.file}`;
}

/** Config mode: the flags given override the config's world, goal, workers, metrics and calibration fields. */
async function calibrateWithConfig(
  spec: ApplicationSpec,
  path: string,
  flags: CalibrateFlags,
  out: string,
  queue: string | undefined,
  record: RecordMode,
): Promise<Constraints> {
  const config = readTuningConfig(path);
  if (flags.world !== undefined) config.world = flags.world;
  if (flags.goal !== undefined) config.target = flags.goal as TuningConfig["target"];
  if (flags.workers !== undefined) config.workers = flags.workers;
  // Lane networks emit logits: their mask metrics threshold at 0, as the config's own default (iou@0) does.
  for (const [nn, metric] of flags.metrics ?? [])
    config.metrics = { ...config.metrics, [nn]: metric === "recall" || metric === "iou" ? `${metric}@0` : metric };
  const cal = config.calibration;
  if (flags.iters !== undefined) cal.iters = flags.iters;
  if (flags.precision !== undefined) cal.precision = flags.precision;
  if (flags.seeds !== undefined) cal.seeds = flags.seeds;
  if (flags.bounds !== undefined) cal.bounds = { ...cal.bounds, ...flags.bounds };
  const status = new QueueStatus();
  const setup = await setupTuning(config, spec, path, queue !== undefined ? backendFor(queue, config.workers, status) : undefined, {
    mode: record,
    dir: join(out, REPLAYS_FOLDER),
  });
  try {
    return await calibrate(setup, config, out, flags.fpsAxis ? [flags.fpsAxis] : [], status);
  } finally {
    await setup.close();
  }
}

/**
 * Phase 1 with a progress bar: error distribution of the approximators, then
 * errorCalibrate (checkpointed in `<out>/evaluations.jsonl`), optionally with
 * application knobs as extra axes. Writes constraints.json,
 * error-distribution.json and boundary.svg to `out`.
 */
export async function calibrate(
  setup: TuningSetup,
  config: TuningConfig,
  out: string,
  knobs: readonly KnobAxis[] = [],
  status = new QueueStatus(),
  viewerDir = out,
): Promise<Constraints> {
  // Locked from the start: a second calibrate on this folder is refused before it measures anything.
  const folder = OutputFolder.open(out, { command: "calibrate" });
  try {
    return await measureAndCalibrate(setup, config, out, knobs, status, viewerDir);
  } finally {
    folder.release();
  }
}

async function measureAndCalibrate(
  setup: TuningSetup,
  config: TuningConfig,
  out: string,
  knobs: readonly KnobAxis[],
  status: QueueStatus,
  viewerDir: string,
): Promise<Constraints> {
  const approximators = Object.values(setup.approximators)[0];
  const backbones = Object.entries(setup.backbones).map(
    ([nn, list]) => `${nn}: ${list.map((b) => `${b.name} × ${(b.approximators ?? []).reduce((s, a) => s + a.nSteps, 0)} levels`).join(", ")}`,
  );
  console.log(
    `measuring error families: ${backbones.length > 0 ? backbones.join("; ") : approximators.map((a) => `${a.name} × ${a.nSteps}`).join(", ")} on ${setup.nns.map((n) => n.name).join(", ")} (${setup.dataset.size} samples)`,
  );
  const families = await tuningErrorDistribution(setup);
  if (families.byBackbone)
    await writeFileAtomic(join(out, "error-families-by-backbone.json"), JSON.stringify(families.byBackbone.toJSON(), null, 2) + "\n");
  const cal = config.calibration;
  return searchAndWrite(
    setup.nns,
    families.calibration,
    setup.metrics,
    setup.qos as QosOracle,
    out,
    {
      iters: cal.iters,
      precision: cal.precision,
      seeds: configSeeds(config).calibration,
      workers: config.workers,
      bounds: cal.bounds ? setup.nns.map((nn) => cal.bounds?.[nn.name]) : undefined,
      knobs,
    },
    status,
    viewerDir,
  );
}

/**
 * Without a config: closed-form error families over the searched bounds, the
 * NNs only as names (nothing runs them), and the pipeline's QoS oracle.
 */
async function calibrateClosedForm(
  spec: ApplicationSpec,
  flags: CalibrateFlags,
  out: string,
  queue: string | undefined,
  record: RecordMode,
): Promise<Constraints> {
  const world = flags.world ?? spec.world.default;
  checkWorldOption(spec, world);
  const chosen = flags.metrics ?? [];
  for (const nn of Object.keys(flags.bounds ?? {})) {
    if (!chosen.some(([n]) => n === nn)) throw new InputError("--bounds", `${nn} has no --metrics entry`);
  }
  const families: Record<string, ErrorFamily> = {};
  const described: string[] = [];
  for (const [nn, metric] of chosen) {
    const network = spec.networks.find((n) => n.name === nn)!;
    const form = network.closedForm;
    const range = flags.bounds?.[nn] ?? [form.bounds[0], form.bounds[1]];
    if (form.family === "gaussian") {
      // One Gaussian per output (same σ), so every output of a vector network gets its error.
      const size = network.output.kind === "vector" ? network.output.size : 1;
      const outputs = size === 1 ? [nn] : Array.from({ length: size }, (_, k) => `${nn}[${k}]`);
      // parseCalibrateFlags took `metric` from this network's closed-form metrics.
      families[nn] = gaussianFamily(metric as "l1Error" | "l2Error", outputs, range);
      const slope = metric === "l1Error" ? "1.2533·level" : "level";
      described.push(`${nn}.${metric}: zero-mean Gaussian, σ = ${slope}, over [${range.join(", ")}]`);
    } else {
      families[nn] = laneDropFamily(metric as "recall" | "iou", range, [form.maskShape[0], form.maskShape[1]]);
      described.push(`${nn}.${metric}: lane pixels dropped at rate 1 − level, over [${range.join(", ")}]`);
    }
  }
  console.log(`error families (closed form; no --config, so no NN is measured): ${described.join("; ")}`);
  const nns: ModelRunner[] = chosen.map(([name]) => ({
    name,
    run: () => Promise.reject(new InputError(name, "calibration without --config runs no NN; its errors come from a closed-form family")),
  }));
  const metrics = chosen.map(([, metric], i) => new ErrorMetric(nns[i], metricByName(metric)));
  const workers = flags.workers ?? 2;
  const status = new QueueStatus();
  const backend = queue !== undefined ? backendFor(queue, workers, status) : undefined;
  const qos = new ApplicationQos({
    pipeline: spec,
    world,
    target: flags.goal ?? spec.goal,
    workers,
    backend,
    record: { mode: record, dir: join(out, REPLAYS_FOLDER) },
  });
  const folder = OutputFolder.open(out, { command: "calibrate" });
  try {
    return await searchAndWrite(
      nns,
      new ErrorDistribution(families),
      metrics,
      qos,
      out,
      {
        iters: flags.iters ?? 25,
        precision: flags.precision ?? 0.05,
        seeds: flags.seeds ?? seedRange(CLOSED_FORM_SEEDS),
        workers,
        knobs: flags.fpsAxis ? [flags.fpsAxis] : [],
      },
      status,
      out,
    );
  } finally {
    folder.release();
    await qos.close();
  }
}

/**
 * errorCalibrate with a progress bar (or, when stderr is not a terminal, one
 * line per evaluation), resuming from `<out>/evaluations.jsonl`; writes the
 * error distribution, constraints.json and boundary.svg.
 */
async function searchAndWrite(
  nns: readonly ModelRunner[],
  errorDist: ErrorDistribution,
  metrics: readonly ErrorMetric[],
  qos: QosOracle,
  out: string,
  options: Omit<ErrorCalibrateOptions, "checkpoint" | "onProgress">,
  queue: QueueStatus,
  viewerDir: string,
): Promise<Constraints> {
  await writeFileAtomic(join(out, "error-distribution.json"), JSON.stringify(errorDist.toJSON(), null, 2) + "\n");
  const checkpoint = join(out, "evaluations.jsonl");
  const resuming = existsSync(checkpoint);
  const iters = options.iters ?? 25;
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar(
    { format: "calibrate {bar} {value}/{total} QoS evaluations | ETA {etaText} | {status}{queue}" },
    Presets.shades_classic,
  );
  if (tty) {
    bar.start(iters, 0, { etaText: "…", status: "", queue: "" });
    queue.onChange = () => bar.update({ queue: queue.text() });
  }
  let replayed = 0;
  const onProgress = (p: CalibrationProgress) => {
    if (p.cached) replayed++;
    const status = `${p.pass ? "pass" : "fail"} at [${p.point.map((v) => +v.toPrecision(3)).join(", ")}]`;
    const eta = p.etaSeconds === undefined ? "…" : formatSeconds(p.etaSeconds);
    if (tty) bar.update(p.done, { etaText: eta, status: `${status}${p.cached ? " (replayed)" : ""}`, queue: queue.text() });
    else process.stderr.write(`[${p.done}/${p.total}] ${status} (${p.cached ? "replayed" : `ETA ${eta}`})${queue.text()}\n`);
  };
  let constraints: Constraints;
  try {
    constraints = await errorCalibrate(nns, errorDist, metrics, qos, { ...options, iters, checkpoint, onProgress });
  } finally {
    if (tty) bar.stop();
  }
  if (resuming) console.log(`resumed from ${checkpoint}: ${replayed} evaluations replayed, ${constraints.points.length - replayed} new`);
  await writeFileAtomic(join(out, "constraints.json"), JSON.stringify(constraints.toJSON(), null, 2) + "\n");
  const toViewer = relative(out, viewerDir);
  const link = replayPointLink(viewerDir);
  await writeFileAtomic(
    join(out, "boundary.svg"),
    boundarySvg(constraints, { pointLink: (h) => (link(h) ? join(toViewer, link(h)!) : undefined) }),
  );
  if (viewerDir === out) {
    const wrote = await writeReplayViewer(out);
    if (wrote) console.log(wrote);
  }
  return constraints;
}

/** `40 s`, `3 min 20 s`. */
function formatSeconds(s: number): string {
  const t = Math.round(s);
  return t < 60 ? `${t} s` : `${Math.floor(t / 60)} min ${t % 60} s`;
}
