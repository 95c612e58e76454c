import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import {
  buildLevels,
  DEFAULT_LOSS,
  IMPORTANCE_NAMES,
  labelColumn,
  laneMaskMetrics,
  loadDataset,
  poolMasks,
  readModel,
  regressionL1,
  type ImportanceName,
  type LevelRecipe,
  type LevelRecord,
  type NnModel,
  type TensorDataset,
} from "../../optimizer/index.ts";
import { argument, choiceOption, existingPathArg, fractionArg, intArg, numberArg, numberSchema, option, positiveArg } from "../options/index.ts";
import { lossOption } from "../options/namedOptions.ts";
import { stepProgress } from "../progress/stepProgress.ts";

interface LevelsCliOptions {
  method: "prune";
  steps: number;
  fraction: number;
  minChannels?: number;
  roundTo?: number;
  importance: ImportanceName;
  dataset: string;
  label?: string;
  epochs: number;
  keepBestEpoch?: boolean;
  trainSamples?: number;
  batchSize: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  loss?: string;
  posWeight: number;
  flip: number;
  jitter: number;
  seed: number;
  out: string;
}

async function split(dir: string, name: "train" | "val" | "test"): Promise<TensorDataset | undefined> {
  const labels = join(dir, name, "labels.json");
  return existsSync(labels) ? loadDataset(join(dir, name), labels) : undefined;
}

/**
 * `approxcaliper levels <model.onnx> --dataset <dir> --steps N --fraction f --epochs e`:
 * iterative structured pruning with learning-rate rewinding; every level saved
 * with metrics, FLOPs and interleaved latency in `<out>/<content hash>/`.
 */
export function register(program: Command): void {
  program
    .command("levels")
    .description(
      "prune a trained model in N steps, retraining each level with the rewound learning-rate schedule; levels saved in <out>/<hash of model, data, recipe>/ and reused",
    )
    .addArgument(argument("<model>", "trained .onnx file", existingPathArg("file")))
    .addOption(
      option(
        "--dataset <dir>",
        "dataset folder from `approxcaliper dataset` (train/ and val/, optional test/)",
        existingPathArg("folder"),
      ).makeOptionMandatory(),
    )
    .addOption(choiceOption("--method <method>", "approximation: prune (L1 structured channel pruning, channels removed)", ["prune"], "prune"))
    .addOption(option("--steps <n>", "pruning steps = levels after the original", intArg(1, 200), 12))
    .addOption(
      option("--fraction <f>", "fraction of the remaining channels of each prunable group removed per step", fractionArg({ open: true }), 0.15),
    )
    .addOption(option("--min-channels <n>", "fewest channels a pruned group keeps (guards thin layers)", intArg(1), undefined, "1"))
    .addOption(option("--round-to <n>", "round kept channel counts to a multiple of n (counts below n stay exact)", intArg(1), undefined, "1"))
    .addOption(
      choiceOption(
        "--importance <name>",
        "channel ranking: l1 (Σ|w| over the coupled layers) or l1-balanced (each layer's norms divided by their mean first)",
        IMPORTANCE_NAMES,
        "l1",
      ),
    )
    .option("--label <name>", "label column the model predicts (vector datasets with several labels, e.g. heading)")
    .addOption(option("--epochs <n>", "retraining epochs per level (0: prune only)", intArg(0), 1))
    .option("--keep-best-epoch", "keep each level's retraining epoch with the best validation loss, not the last")
    .addOption(option("--train-samples <n>", "retrain each level on every k-th training sample, this many", intArg(1), undefined, "all"))
    .addOption(option("--batch-size <n>", "retraining batch size", intArg(1), 32))
    .addOption(option("--lr <rate>", "peak learning rate of the rewound cosine schedule (Adam)", positiveArg(), 0.002))
    .addOption(option("--min-lr <rate>", "final learning rate of the rewound schedule", numberArg(numberSchema(0)), 0.00002))
    .addOption(option("--warmup <steps>", "warm-up steps of the rewound schedule", intArg(0), 20))
    .addOption(option("--weight-decay <w>", "Adam weight decay", numberArg(numberSchema(0)), 0.0001))
    .addOption(lossOption("retraining loss"))
    .addOption(option("--pos-weight <w>", "bce: weight of positive (lane) pixels", positiveArg(), 4))
    .addOption(option("--flip <p>", "horizontal-flip probability of the augmentation", numberArg(numberSchema(0, 1)), 0.5))
    .addOption(option("--jitter <a>", "colour-jitter amount (brightness, contrast, saturation)", numberArg(numberSchema(0, 1)), 0.25))
    .addOption(option("--seed <s>", "seed of shuffling, augmentation and dropout", intArg(0), 0))
    .option("--out <dir>", "parent folder of level directories", "levels")
    .action(async (path: string, o: LevelsCliOptions) => {
      if (!existsSync(join(o.dataset, "train", "labels.json")) || !existsSync(join(o.dataset, "val", "labels.json"))) {
        throw new InputError("--dataset", `${o.dataset} needs train/labels.json and val/labels.json (made by \`approxcaliper dataset\`)`);
      }
      const model = await readModel(path);
      const rawTrain = (await split(o.dataset, "train"))!;
      let maskFactor = 1;
      if (rawTrain.targetKind === "mask") {
        const h = model.graph.outputs[0]?.shape?.[2];
        if (typeof h !== "number")
          throw new InputError(path, `output "${model.graph.outputs[0]?.name}" needs a static [N, 1, h, w] shape for a mask dataset`);
        maskFactor = rawTrain.targetShape[1] / h;
        if (!Number.isInteger(maskFactor))
          throw new InputError(path, `mask height ${h} does not divide the dataset's ${rawTrain.targetShape[1]}`);
      } else if (o.label === undefined && (rawTrain.labelNames?.length ?? 1) > 1) {
        throw new InputError("--label", `the dataset has labels ${rawTrain.labelNames!.join(", ")}: name the one ${path} predicts`);
      }
      const isMask = rawTrain.targetKind === "mask";
      const view = (ds: TensorDataset) => (isMask ? (maskFactor > 1 ? poolMasks(ds, maskFactor) : ds) : o.label ? labelColumn(ds, o.label) : ds);
      const train = view(rawTrain);
      const validation = view((await split(o.dataset, "val"))!);
      const rawTest = await split(o.dataset, "test");
      const recipe: LevelRecipe = {
        method: o.method,
        steps: o.steps,
        fraction: o.fraction,
        ...(o.minChannels !== undefined && { minChannels: o.minChannels }),
        ...(o.roundTo !== undefined && { roundTo: o.roundTo }),
        ...(o.importance !== "l1" && { importance: o.importance }),
        epochs: o.epochs,
        ...(o.keepBestEpoch && { keepBestEpoch: true }),
        trainSamples: o.trainSamples ?? train.size,
        batchSize: o.batchSize,
        lr: o.lr,
        minLr: o.minLr,
        warmupSteps: o.warmup,
        weightDecay: o.weightDecay,
        loss: { name: o.loss ?? DEFAULT_LOSS[train.targetKind], posWeight: o.posWeight },
        augment: { horizontalFlip: o.flip, colorJitter: { brightness: o.jitter, contrast: o.jitter, saturation: o.jitter } },
        seed: o.seed,
      };
      const evaluate = async (nn: NnModel, ds: TensorDataset): Promise<Record<string, number>> => {
        if (!isMask) return { l1: await regressionL1(nn, ds) };
        const m = await laneMaskMetrics(nn, ds);
        return { laneIoU: m.iou, laneRecall: m.recall, lanePrecision: m.precision };
      };
      const primary = isMask ? { name: "laneIoU", mode: "max" as const } : { name: "l1", mode: "min" as const };
      console.log(
        `${path}: ${o.steps} levels, ${(o.fraction * 100).toFixed(1)} % of the remaining channels per step, ${o.epochs} epoch(s) on ${Math.min(recipe.trainSamples, train.size)} samples per level`,
      );
      console.log(formatHeader(primary.name));
      const progress = stepProgress("levels", o.steps, { unit: "levels" });
      progress.update(0, "measuring the original");
      const built = await buildLevels({
        model,
        train,
        validation,
        test: rawTest && view(rawTest),
        recipe,
        evaluate,
        primary,
        root: o.out,
        onEpoch: (level, epoch, loss) =>
          progress.update(level - 1, `level ${level}: epoch ${epoch + 1}/${o.epochs} done, train loss ${loss.toPrecision(4)}`),
        onLevel: (r, reused) => {
          progress.log(formatLevel(r, primary.name) + (reused ? "  (reused)" : ""));
          progress.update(r.level, r.level < o.steps ? `level ${r.level + 1}: pruning and retraining` : "done");
        },
      }).finally(() => progress.stop());
      console.log(
        `${built.dir}: ${built.set.levels.length - 1} levels (${built.trainedLevels} built now); last level keeping the original's ${primary.name}: ${built.set.lastLosslessLevel}`,
      );
    });
}

function formatHeader(metric: string): string {
  return `${"level".padStart(5)} ${"pruned".padStart(7)} ${"FLOPs".padStart(8)} ${"latency ms".padStart(11)} ${"p10–p90".padStart(13)} ${"speed-up".padStart(9)} ${metric.padStart(12)}`;
}

function formatLevel(r: LevelRecord, metric: string): string {
  const l = r.latency;
  return (
    `${String(r.level).padStart(5)} ${(r.pruned * 100).toFixed(1).padStart(6)}% ${(r.flopsRatio * 100).toFixed(1).padStart(7)}% ${l.medianMs.toFixed(3).padStart(11)} ` +
    `${`${l.p10Ms.toFixed(3)}–${l.p90Ms.toFixed(3)}`.padStart(13)} ${`${l.speedup.toFixed(2)}×`.padStart(9)} ${r.metrics[metric].toPrecision(4).padStart(12)}`
  );
}
