/**
 * bench:qos — what statistical QoS verdicts cost and how well the calibration predicts the real networks.
 *
 * 1. Sequential vs fixed-size verdicts (synthetic Bernoulli runs, no simulator): a "≥ 95 % of runs pass,
 *    95 % confidence" goal judged 2,000 times at true pass rates 0.90, 0.97 and 0.99 by the sequential
 *    test (`SequentialRateTest`) and by the fixed-size test with the same error rates.
 * 2. Calibration fidelity per application (`calibrationFidelity`), from the configs in scripts/bench/qos/:
 *    the shipped networks pruned in levels with retraining, their error families fitted, the error budget
 *    calibrated on seeds 0…K−1 of the config's world distribution, then every level judged on fresh seeds
 *    (1000…) by the calibration, by injected errors and by the real network in the loop. The configs' goal
 *    is the evidence's rate goal (≥ 95 % of runs pass, 95 % confidence), K its cap of runs per verdict. Skipped with a
 *    reason when a config's dataset is missing (`npm run example` renders CropFollow's;
 *    `approxcaliper dataset gem --out data/example/gem --worlds 30 --per-world 100 --seed 7` the GEM's).
 *    `--cropfollow-config scripts/bench/qos/cropfollow-sequences.json` is the same with the structured
 *    family's correlation term (`errorSequenceRuns: 10`). `--error-models gaussian,structured` judges the regression NNs' families of each model in turn (one
 *    calibration each; the real networks' runs are shared): keys `qos.fidelity.<app>.<model>.*`, the
 *    unprefixed keys being the configured (or application's default) model's.
 *
 *   npm run bench:qos -- [--json out.json] [--verdicts 2000] [--no-fidelity] [--gem-config f] [--cropfollow-config f]
 *                        [--error-models m1,m2] [--apps cropfollow,gem] [--workers 2 (QoS threads; 1 on a shared machine)]
 *                        [--fidelity-first-seed 1000 (another fresh seed set gives the spread over scenarios)]
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  calibrationFidelity,
  describeVerdict,
  encodeModel,
  errorCalibrate,
  ErrorDistribution,
  findErrorDistribution,
  measureCandidate,
  REGRESSION_ERROR_MODELS,
  Random,
  readTuningConfig,
  setupTuning,
  SequentialRateTest,
  type Candidate,
  type ErrorFamily,
  type FidelityReport,
  type RegressionErrorModel,
} from "../../index.ts";
import { flag, hasFlag, intFlag, jsonFile } from "./benchArgs.ts";

const verdicts = intFlag("--verdicts", 2000);
const metrics: Record<string, number> = {};

// 1. Sequential vs fixed.
const GOAL = { rate: 0.95, confidence: 0.95 };
const fixedRuns = SequentialRateTest.fixedSampleSize({ ...GOAL, failBelow: 0.9, passAbove: 0.97 });
console.log(
  `Goal: ≥ ${GOAL.rate} of runs pass at ${GOAL.confidence} confidence; ${verdicts} verdicts per true rate; fixed-size test: ${fixedRuns} runs`,
);
console.log(
  `${"true rate".padEnd(10)} ${"pass".padStart(7)} ${"fail".padStart(7)} ${"uncertain".padStart(9)} ${"runs/verdict".padStart(13)} ${"vs fixed".padStart(9)}`,
);
const rng = new Random(2026);
const runsByRate: number[] = [];
for (const p of [0.5, 0.9, 0.95, 0.97, 0.99, 1]) {
  const n = { pass: 0, fail: 0, uncertain: 0 };
  let runs = 0;
  for (let i = 0; i < verdicts; i++) {
    const t = new SequentialRateTest(GOAL);
    while (!t.observe(rng.next() < p));
    const v = t.verdict();
    n[v.decision]++;
    runs += v.runs;
  }
  const perVerdict = runs / verdicts;
  if ([0.9, 0.97, 0.99].includes(p)) runsByRate.push(perVerdict);
  if (p === 0.9) metrics["qos.sequential.falsePassRate"] = n.pass / verdicts;
  if (p === 0.97) metrics["qos.sequential.falseFailRate"] = (n.fail + n.uncertain) / verdicts;
  console.log(
    `${p.toFixed(2).padEnd(10)} ${(n.pass / verdicts).toFixed(3).padStart(7)} ${(n.fail / verdicts).toFixed(3).padStart(7)} ${(n.uncertain / verdicts).toFixed(3).padStart(9)} ${perVerdict.toFixed(1).padStart(13)} ${(fixedRuns / perVerdict).toFixed(2).padStart(8)}×`,
  );
}
// The three rates the guarantees are stated at (a clear fail, the pass edge, a clear pass), equally weighted.
metrics["qos.sequential.runsPerVerdict"] = runsByRate.reduce((a, b) => a + b, 0) / runsByRate.length;
metrics["qos.fixed.runsPerVerdict"] = fixedRuns;

// 2. Fidelity.
if (!hasFlag("--no-fidelity")) {
  const configs = {
    cropfollow: resolve(flag("--cropfollow-config") ?? join(import.meta.dirname, "qos", "cropfollow.json")),
    gem: resolve(flag("--gem-config") ?? join(import.meta.dirname, "qos", "gem.json")),
  } as const;
  const apps = (flag("--apps") ?? "cropfollow,gem").split(",");
  for (const a of apps) if (!(a in configs)) throw new Error(`--apps: unknown application "${a}" (cropfollow, gem)`);
  const errorModels = flag("--error-models")?.split(",") as RegressionErrorModel[] | undefined;
  for (const m of errorModels ?? [])
    if (!REGRESSION_ERROR_MODELS.includes(m)) throw new Error(`--error-models: unknown model "${m}" (${REGRESSION_ERROR_MODELS.join(", ")})`);
  for (const app of ["cropfollow", "gem"] as const) {
    if (!apps.includes(app)) continue;
    if (!existsSync(configs[app])) {
      console.log(`\n${app} fidelity skipped: no config ${configs[app]}`);
      continue;
    }
    const config = readTuningConfig(configs[app]);
    const missing = [config.dataset.dir, config.train?.dir].find((d) => d !== undefined && !existsSync(d));
    if (missing) {
      console.log(`\n${app} fidelity skipped: ${missing} is missing`);
      continue;
    }
    const t0 = performance.now();
    const { reports, defaultModel } = await fidelity(app, configs[app], errorModels);
    const seconds = (performance.now() - t0) / 1000;
    for (const [model, report] of reports) {
      console.log(`\n${app} fidelity, ${model} error families (${configs[app]}, ${seconds.toFixed(0)} s for all):`);
      console.log(
        `${"level".padEnd(22)} ${"point".padStart(18)} ${"classified".padStart(10)} ${"predicted".padStart(9)} ${"injected".padStart(16)} ${"real".padStart(16)}`,
      );
      for (const p of report.points) {
        const level = `${p.nn} ${p.approximator}-${p.level}`.padEnd(22);
        const point = p.point.map((x) => x.toFixed(3)).join(", ");
        const injected = describeVerdict(p.injected, p.injectedRuns);
        const real = describeVerdict(p.real, p.realRuns);
        console.log(
          `${level} ${point.padStart(18)} ${p.classified.padStart(10)} ${p.predicted.padStart(9)} ${injected.padStart(16)} ${real.padStart(16)}`,
        );
      }
      console.log(
        `agreement ${(report.agreement * 100).toFixed(0)} % (injected ${(report.injectedAgreement! * 100).toFixed(0)} %), classified without a run ${(report.classifiedShare * 100).toFixed(0)} %, confusion ${JSON.stringify(report.confusion)}`,
      );
      const prefixes = [`qos.fidelity.${app}.${model}`, ...(model === defaultModel ? [`qos.fidelity.${app}`] : [])];
      for (const prefix of prefixes) {
        metrics[`${prefix}.agreement`] = report.agreement;
        // Injected errors run at every point here (calibrationFidelity's default), so the share is always there.
        metrics[`${prefix}.injectedAgreement`] = report.injectedAgreement!;
        metrics[`${prefix}.predictedPassRealFail`] = report.confusion.predictedPassRealFail;
        metrics[`${prefix}.points`] = report.points.length;
      }
    }
  }
}

console.log("");
for (const [k, v] of Object.entries(metrics)) console.log(`${k.padEnd(46)} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(metrics, null, 2) + "\n");

/**
 * Levels, then per error model: families, calibration on seeds 0…K−1, and every level judged on fresh seeds
 * 1000…1000+K−1 (`--fidelity-first-seed`) (the real networks' verdicts come from the QoS cache after the first model).
 */
async function fidelity(
  app: "cropfollow" | "gem",
  configPath: string,
  models: RegressionErrorModel[] | undefined,
): Promise<{ reports: Map<RegressionErrorModel, FidelityReport>; defaultModel: RegressionErrorModel }> {
  const config = readTuningConfig(configPath);
  const workers = intFlag("--workers", config.workers);
  const setup = await setupTuning({ ...config, workers }, app, configPath);
  try {
    const { dataset } = setup;
    const masks =
      dataset.targetKind === "mask"
        ? Object.fromEntries(setup.nns.map((nn) => [nn.name, [dataset.targetShape[1], dataset.targetShape[2]] as [number, number]]))
        : undefined;
    const defaultModel = setup.errorModels[setup.nns[0].name];
    const k = typeof config.calibration.seeds === "number" ? config.calibration.seeds : config.calibration.seeds.length;
    const dir = mkdtempSync(join(tmpdir(), `bench-qos-${app}-`));
    const candidates: Candidate[][] = [];
    for (const nn of setup.nns) {
      const own = setup.metrics.filter((m) => m.model === nn);
      const list: Candidate[] = [];
      const add = async (approximator: string, level: number, fraction: number, model: NonNullable<typeof nn.model>) => {
        const c = await measureCandidate({ nn: nn.name, approximator, level, fraction }, model, own, dataset, { runs: 5 });
        c.file = join(dir, `${nn.name}-${approximator}-${level}.onnx`);
        writeFileSync(c.file, encodeModel(model));
        delete c.model;
        list.push(c);
      };
      await add("original", 0, 0, nn.model!);
      for (const a of setup.approximators[nn.name])
        for await (const lvl of a.levels(nn.model!)) await add(a.name, lvl.level, lvl.fraction, lvl.model);
      candidates.push(list);
    }
    const first = intFlag("--fidelity-first-seed", 1000);
    const seeds = Array.from({ length: k }, (_, i) => first + i);
    const reports = new Map<RegressionErrorModel, FidelityReport>();
    // Lane-mask NNs have one model of their own: one pass.
    for (const regressionModel of dataset.targetKind === "mask" ? [defaultModel] : (models ?? [defaultModel])) {
      const families: Record<string, ErrorFamily> = {};
      for (const nn of setup.nns) {
        const own = setup.metrics.filter((m) => m.model === nn);
        families[nn.name] = (
          await findErrorDistribution(setup.approximators[nn.name], [nn], dataset, {
            metrics: own,
            masks,
            regressionModel,
            sequences: setup.errorSequences,
          })
        ).family(nn.name);
      }
      const errors = new ErrorDistribution(families);
      const constraints = await errorCalibrate(setup.nns, errors, setup.metrics, setup.qos, {
        iters: config.calibration.iters,
        seeds: k,
        workers,
      });
      reports.set(
        regressionModel,
        await calibrationFidelity(candidates, constraints, errors, setup.qos, {
          seeds,
          onPoint: (p, done, total) =>
            process.stderr.write(
              `  ${app} ${regressionModel} ${done}/${total}: ${p.nn} ${p.approximator}-${p.level} real ${describeVerdict(p.real, p.realRuns)}\n`,
            ),
        }),
      );
    }
    return { reports, defaultModel };
  } finally {
    await setup.close();
  }
}
