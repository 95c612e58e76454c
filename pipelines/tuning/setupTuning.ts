import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { QosBackend } from "../qos/QosBackend.ts";
import { InputError } from "../../common/index.ts";
import {
  adam,
  asModelRunner,
  bceWithLogitsLoss,
  checkNetworkShapes,
  CosineSchedule,
  encodeModel,
  ErrorMetric,
  l1Loss,
  labelColumn,
  loadDataset,
  loadModel,
  LowRankFactorizer,
  memoizeLevels,
  metricByName,
  objectiveByName,
  poolMasks,
  StructuredPruner,
  type Approximator,
  type FinetuneRecipe,
  type ModelRunner,
  type NnModel,
  type ErrorSequences,
  type Model,
  type Objective,
  type RegressionErrorModel,
  type TensorDataset,
  type TuningKnob,
} from "../../optimizer/index.ts";
import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import { ApplicationQos, type ApplicationQosOptions } from "../qos/ApplicationQos.ts";
import type { TuningConfig } from "./TuningConfig.ts";

/** Everything a tuning configuration sets up for an application. */
export interface TuningSetup {
  /** The application's NNs, loaded, in its spec's order. */
  nns: (ModelRunner & { readonly nn: NnModel })[];
  dataset: TensorDataset;
  metrics: ErrorMetric[];
  /** Each NN's approximators (memoized: calibration and tuning share the retrained levels). */
  approximators: Record<string, Approximator[]>;
  qos: ApplicationQos;
  objective: Objective;
  knobs: TuningKnob[];
  /** How each NN's measured error family models regression errors (`findErrorDistribution`'s `regressionModel`). */
  errorModels: Record<string, RegressionErrorModel>;
  /**
   * `findErrorDistribution`'s `sequences` for `structured` families: a model of NN `nn` (the others at
   * their originals) run `calibration.errorSequenceRuns` times in the closed loop; undefined when that is 0
   * or the application does not log the NN's output.
   */
  errorSequences: ((nn: string, model: Model) => Promise<ErrorSequences | undefined>) | undefined;
  /** Closes the QoS worker pool and the model sessions. */
  close(): Promise<void>;
}

/**
 * Loads the models and the dataset of a tuning configuration and builds the
 * metrics, approximators, QoS oracle, objective and knobs for `application`;
 * what the configuration leaves out comes from the application's spec.
 * Errors name `where` (the configuration file) and the field.
 *
 * @example
 * const setup = await setupTuning(readTuningConfig("tune.json"), "cropfollow", "tune.json");
 * try { await optimize(setup.approximators, constraints, setup.nns, setup.dataset, setup.qos, { objective: setup.objective }); }
 * finally { await setup.close(); }
 */
/** `backend`: where the QoS runs happen (e.g. a `RedisQueueBackend`) instead of `config.workers` local threads. */
export async function setupTuning(
  config: TuningConfig,
  application: string | ApplicationSpec,
  where: string,
  backend?: QosBackend,
  record?: ApplicationQosOptions["record"],
): Promise<TuningSetup> {
  const qos = new ApplicationQos({
    record,
    pipeline: application,
    world: config.world,
    target: config.target as ApplicationQosOptions["target"],
    run: config.run as ApplicationQosOptions["run"],
    workers: config.workers,
    backend,
  });
  const spec = qos.spec;
  const expected = qos.nnNames();
  try {
    for (const nn of Object.keys(config.models)) {
      if (!expected.includes(nn)) throw new InputError(`${where}: models.${nn}`, `the ${spec.name} pipeline has NNs ${expected.join(", ")}`);
    }
    for (const nn of expected) {
      if (!(nn in config.models))
        throw new InputError(`${where}: models`, `missing "${nn}" (the ${spec.name} pipeline needs ${expected.join(", ")})`);
    }
    const nns: TuningSetup["nns"] = [];
    let dataset = await loadDataset(config.dataset.dir, config.dataset.labels!);
    for (const [i, nn] of expected.entries()) {
      const model = await loadModel(config.models[nn]);
      const { output } = spec.networks[i];
      // The wrong network for the application is refused here, naming both shapes, not deep inside a run.
      checkNetworkShapes(
        model,
        {
          input: dataset.inputShape,
          outputValues: output.kind === "vector" ? output.size : undefined,
          inputSource: `the ${spec.name} dataset's images`,
          outputSource: `the ${spec.name} spec's network "${nn}"`,
        },
        `${where}: models.${nn}`,
        `network "${nn}" (${config.models[nn]})`,
      );
      nns.push(asModelRunner(nn, model));
    }
    if (dataset.targetKind === "mask") dataset = await masksAtOutputSize(dataset, nns[0], where);
    const metrics = spec.networks.map((network, i) => {
      const name = config.metrics?.[network.name];
      return new ErrorMetric(
        nns[i],
        name
          ? metricByName(name, `${where}: metrics.${network.name}`)
          : metricByName(network.metric, `application ${spec.name}: networks.${network.name}.metric`),
      );
    });
    const train = config.train
      ? (await loadDataset(config.train.dir, config.train.labels!)).strided(config.train.samples ?? Infinity)
      : undefined;
    const approximators: Record<string, Approximator[]> = {};
    for (const [i, nn] of nns.entries()) {
      const column = spec.networks[i].labelColumn;
      const trainView =
        train &&
        (train.targetKind === "mask"
          ? await masksAtOutputSize(train, nn, where)
          : column !== undefined && train.labelNames?.includes(column)
            ? labelColumn(train, column)
            : train);
      approximators[nn.name] = config.approximators.map((a) => {
        const finetune: FinetuneRecipe | undefined =
          a.finetune && trainView
            ? {
                train: trainView,
                loss: trainView.targetKind === "mask" ? bceWithLogitsLoss() : l1Loss(),
                optimizer: adam(),
                schedule: new CosineSchedule({
                  lr: a.finetune.lr,
                  totalSteps: Math.ceil(trainView.size / a.finetune.batchSize) * a.finetune.epochs,
                }),
                batchSize: a.finetune.batchSize,
                epochs: a.finetune.epochs,
              }
            : undefined;
        return memoizeLevels(
          a.method === "prune"
            ? new StructuredPruner({
                nSteps: a.nSteps,
                pruneFraction: a.pruneFraction,
                finetune,
                onWarning: (w) => console.warn(`warning: ${w}`),
              })
            : new LowRankFactorizer({ nSteps: a.nSteps, rankFraction: a.rankFraction, finetune }),
        );
      });
    }
    const objective = objectiveByName(
      config.objective ?? spec.objective,
      { fps: config.fps ?? spec.defaults.fps },
      config.objective ? `${where}: objective` : `application ${spec.name}: objective`,
    );
    const knobs: TuningKnob[] = [];
    for (const [name, values] of Object.entries(config.knobs ?? {})) {
      const knob = spec.knobs.find((k) => k.name === name);
      if (!knob)
        throw new InputError(
          `${where}: knobs.${name}`,
          `not a knob of the ${spec.name} pipeline (${spec.knobs.map((k) => k.name).join(", ") || "none"})`,
        );
      knobs.push({ name, values, direction: knob.direction });
    }
    return {
      nns,
      dataset,
      metrics,
      approximators,
      qos,
      objective,
      knobs,
      errorModels: Object.fromEntries(nns.map((nn, i) => [nn.name, config.calibration.errorModel ?? spec.networks[i].errorModel ?? "gaussian"])),
      errorSequences:
        config.calibration.errorSequenceRuns > 0 && spec.networks.some((n) => n.perceptionField !== undefined)
          ? async (nn, model) => {
              if (spec.networks.find((n) => n.name === nn)?.perceptionField === undefined) return undefined;
              const dir = mkdtempSync(join(tmpdir(), "approxcaliper-sequences-"));
              try {
                const file = join(dir, `${nn}.onnx`);
                writeFileSync(file, encodeModel(model));
                const seeds = Array.from({ length: config.calibration.errorSequenceRuns }, (_, i) => i);
                return await qos.errorSequences({ ...config.models, [nn]: file }, nn, seeds);
              } finally {
                rmSync(dir, { recursive: true, force: true });
              }
            }
          : undefined,
      async close() {
        await qos.close();
        for (const nn of nns) await nn.nn.dispose();
      },
    };
  } catch (e) {
    await qos.close();
    throw e;
  }
}

/**
 * Lane networks may predict at a fraction of the input size: the dataset's
 * masks are max-pooled to the model's output size so metrics compare like
 * with like (a pixel is lane when any pixel of its block is).
 */
async function masksAtOutputSize(dataset: TensorDataset, nn: ModelRunner, where: string): Promise<TensorDataset> {
  const out = await nn.run(dataset.images.subarray(0, dataset.inputSize), 1);
  if (out.length === dataset.targetSize) return dataset;
  const factor = Math.round(Math.sqrt(dataset.targetSize / out.length));
  if (factor < 2 || factor * factor * out.length !== dataset.targetSize) {
    throw new InputError(
      `${where}: dataset`,
      `masks have ${dataset.targetSize} pixels, model ${nn.name} predicts ${out.length}; not a whole downscale`,
    );
  }
  return poolMasks(dataset, factor);
}
