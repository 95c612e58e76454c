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
  checkLevelSetOriginal,
  levelSetApproximator,
  LowRankFactorizer,
  memoizeLevels,
  metricByName,
  objectiveByName,
  poolMasks,
  readLevelSet,
  IMPORTANCE_BY_NAME,
  StructuredPruner,
  type Approximator,
  type Backbone,
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
import { datasetWorldGroups } from "./datasetWorldGroups.ts";

/** Everything a tuning configuration sets up for an application. */
export interface TuningSetup {
  /** The application's NNs, loaded, in its spec's order. */
  nns: (ModelRunner & { readonly nn: NnModel })[];
  dataset: TensorDataset;
  metrics: ErrorMetric[];
  /** Each NN's approximators (memoized: calibration and tuning share the retrained levels). */
  approximators: Record<string, Approximator[]>;
  /**
   * The backbones of each NN that lists several (`nns` holds the first one's model), each with its
   * approximators: its cached levels, or the NN's approximators.
   */
  backbones: Record<string, Backbone[]>;
  qos: ApplicationQos;
  /** The same application on each of the configuration's `verifyWorlds` (verification only). */
  verifyQos: ApplicationQos[];
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
  /** With `calibration.worldSpread`: the world of each dataset sample (`datasetWorldGroups`). */
  worldGroups: Int32Array | undefined;
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
/**
 * `backend`: where the QoS runs happen (e.g. a `RedisQueueBackend`) instead of `config.workers` local threads;
 * `cacheFile`: a JSONL file persisting simulator runs across processes (see `QosEvaluator`).
 */
export async function setupTuning(
  config: TuningConfig,
  application: string | ApplicationSpec,
  where: string,
  backend?: QosBackend,
  record?: ApplicationQosOptions["record"],
  cacheFile?: string,
): Promise<TuningSetup> {
  const qosFor = (world: string | undefined) =>
    new ApplicationQos({
      record,
      pipeline: application,
      world,
      target: config.target as ApplicationQosOptions["target"],
      run: config.run as ApplicationQosOptions["run"],
      injected: config.injected,
      workers: config.workers,
      backend,
      cacheFile,
    });
  const qos = qosFor(config.world);
  const verifyQos: ApplicationQos[] = [];
  const spec = qos.spec;
  const expected = qos.nnNames();
  try {
    for (const [i, world] of (config.verifyWorlds ?? []).entries()) {
      try {
        verifyQos.push(qosFor(world));
      } catch (e) {
        if (e instanceof InputError) throw new InputError(`${where}: verifyWorlds[${i}]`, e.message);
        throw e;
      }
    }
    for (const nn of Object.keys(config.models)) {
      if (!expected.includes(nn)) throw new InputError(`${where}: models.${nn}`, `the ${spec.name} pipeline has NNs ${expected.join(", ")}`);
    }
    for (const nn of expected) {
      if (!(nn in config.models))
        throw new InputError(`${where}: models`, `missing "${nn}" (the ${spec.name} pipeline needs ${expected.join(", ")})`);
    }
    const nns: TuningSetup["nns"] = [];
    const backboneModels: Record<string, { name: string; model: NnModel["model"]; levels?: string }[]> = {};
    let dataset = await loadDataset(config.dataset.dir, config.dataset.labels!);
    for (const [i, nn] of expected.entries()) {
      const { output } = spec.networks[i];
      // The wrong network for the application is refused here, naming both shapes, not deep inside a run.
      const checked = async (file: string, field: string, role: string) => {
        const model = await loadModel(file);
        try {
          checkNetworkShapes(
            model,
            {
              input: dataset.inputShape,
              outputValues: output.kind === "vector" ? output.size : undefined,
              inputSource: `the ${spec.name} dataset's images`,
              outputSource: `the ${spec.name} spec's network "${nn}"`,
            },
            `${where}: ${field}`,
            role,
          );
        } catch (e) {
          await model.dispose();
          throw e;
        }
        return model;
      };
      const listed = config.backbones[nn];
      if (!listed) {
        nns.push(asModelRunner(nn, await checked(config.models[nn], `models.${nn}`, `network "${nn}" (${config.models[nn]})`)));
        continue;
      }
      backboneModels[nn] = [];
      for (const [k, b] of listed.entries()) {
        const model = await checked(b.model, `models.${nn}.${b.name}`, `network "${nn}" backbone ${b.name} (${b.model})`);
        if (k === 0) nns.push(asModelRunner(nn, model));
        else await model.dispose();
        backboneModels[nn].push({ name: b.name, model: model.model, ...(b.levels ? { levels: b.levels } : {}) });
      }
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
                importance: IMPORTANCE_BY_NAME[a.importance ?? "l1"],
                finetune,
                onWarning: (w) => console.warn(`warning: ${w}`),
              })
            : new LowRankFactorizer({ nSteps: a.nSteps, rankFraction: a.rankFraction, finetune }),
        );
      });
    }
    const backbones: Record<string, Backbone[]> = {};
    for (const [nn, list] of Object.entries(backboneModels)) {
      backbones[nn] = list.map((b) => {
        if (!b.levels) return { name: b.name, model: b.model, approximators: approximators[nn] };
        const field = `${where}: models.${nn}.${b.name}.levels`;
        const onDisk = readLevelSet(b.levels, field, config.levelsRoot);
        checkLevelSetOriginal(onDisk, b.model, field);
        return { name: b.name, model: b.model, approximators: [levelSetApproximator(onDisk, field)] };
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
      backbones,
      qos,
      verifyQos,
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
      worldGroups: config.calibration.worldSpread ? datasetWorldGroups(config.dataset.labels!) : undefined,
      async close() {
        await qos.close();
        for (const q of verifyQos) await q.close();
        for (const nn of nns) await nn.nn.dispose();
      },
    };
  } catch (e) {
    await qos.close();
    for (const q of verifyQos) await q.close();
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
