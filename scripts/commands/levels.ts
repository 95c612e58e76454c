import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import { buildLevels, loadDataset, readModel, type LevelRecipe, type LevelRecord, type NnModel, type TensorDataset } from "../../optimizer/index.ts";
import { labelColumn, poolMasks } from "../models/datasetViews.ts";
import { laneMaskMetrics, regressionL1 } from "../models/modelMetrics.ts";

interface LevelsCliOptions {
  method: string;
  steps: string;
  fraction: string;
  dataset: string;
  label?: string;
  epochs: string;
  trainSamples?: string;
  batchSize: string;
  lr: string;
  minLr: string;
  warmup: string;
  weightDecay: string;
  loss?: string;
  posWeight: string;
  flip: string;
  jitter: string;
  seed: string;
  out: string;
}

const LOSS_NAMES = ["l1", "mse", "bce-logits"] as const;

function num(name: string, raw: string, ok: (v: number) => boolean, expected: string): number {
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || !ok(v)) throw new InputError(`--${name}`, `expected ${expected}, got "${raw}"`);
  return v;
}
const posInt = (name: string, raw: string) => num(name, raw, (v) => Number.isInteger(v) && v >= 1, "a positive integer");
const frac = (name: string, raw: string, lo: number, hi: number) => num(name, raw, (v) => v >= lo && v <= hi, `a number in [${lo}, ${hi}]`);

async function split(dir: string, name: "train" | "val" | "test"): Promise<TensorDataset | undefined> {
  const labels = join(dir, name, "labels.json");
  return existsSync(labels) ? loadDataset(join(dir, name), labels) : undefined;
}

/** The view of a split that a model trains on: one label column (`--label`), or masks max-pooled to the model's mask grid. */
function viewFor(ds: TensorDataset, label: string | undefined, maskFactor: number | undefined): TensorDataset {
  if (ds.targetKind === "mask") return maskFactor && maskFactor > 1 ? poolMasks(ds, maskFactor) : ds;
  return label ? labelColumn(ds, label) : ds;
}

/**
 * `approxcaliper levels <model.onnx> --dataset <dir> --steps N --fraction f --epochs e`:
 * iterative structured pruning with learning-rate rewinding; every level saved
 * with metrics, FLOPs and interleaved latency in `<out>/<content hash>/`.
 */
export function register(program: Command): void {
  program
    .command("levels")
    .description("prune a trained model in N steps, retraining each level with the rewound learning-rate schedule; levels saved in <out>/<hash of model, data, recipe>/ and reused")
    .argument("<model>", "trained .onnx file")
    .requiredOption("--dataset <dir>", "dataset folder from `approxcaliper dataset` (train/ and val/, optional test/)")
    .option("--method <method>", "approximation: prune (L1 structured channel pruning)", "prune")
    .option("--steps <n>", "pruning steps = levels after the original", "12")
    .option("--fraction <f>", "fraction of the remaining channels of each prunable group removed per step, in (0, 1)", "0.15")
    .option("--label <name>", "label column the model predicts (vector datasets with several labels, e.g. heading)")
    .option("--epochs <n>", "retraining epochs per level (0: prune only)", "1")
    .option("--train-samples <n>", "retrain each level on every k-th training sample, this many (default: all)")
    .option("--batch-size <n>", "retraining batch size", "32")
    .option("--lr <rate>", "peak learning rate of the rewound cosine schedule (Adam)", "0.002")
    .option("--min-lr <rate>", "final learning rate of the rewound schedule", "0.00002")
    .option("--warmup <steps>", "warm-up steps of the rewound schedule", "20")
    .option("--weight-decay <w>", "Adam weight decay", "0.0001")
    .option("--loss <name>", `${LOSS_NAMES.join(" | ")} (default l1 for label vectors, bce-logits for masks)`)
    .option("--pos-weight <w>", "bce-logits: weight of positive (lane) pixels", "4")
    .option("--flip <p>", "horizontal-flip probability of the augmentation", "0.5")
    .option("--jitter <a>", "colour-jitter amount (brightness, contrast, saturation)", "0.25")
    .option("--seed <s>", "seed of shuffling, augmentation and dropout", "0")
    .option("--out <dir>", "parent folder of level directories", "levels")
    .action(async (path: string, o: LevelsCliOptions) => {
      if (o.method !== "prune") throw new InputError("--method", `expected prune, got "${o.method}"`);
      if (o.loss !== undefined && !(LOSS_NAMES as readonly string[]).includes(o.loss)) throw new InputError("--loss", `expected one of ${LOSS_NAMES.join(", ")}, got "${o.loss}"`);
      if (!existsSync(path)) throw new InputError("<model>", `no such file: ${path}`);
      if (!existsSync(join(o.dataset, "train", "labels.json")) || !existsSync(join(o.dataset, "val", "labels.json"))) {
        throw new InputError("--dataset", `${o.dataset} needs train/labels.json and val/labels.json (made by \`approxcaliper dataset\`)`);
      }
      const steps = posInt("steps", o.steps);
      const fraction = frac("fraction", o.fraction, 1e-6, 0.999);
      const epochs = num("epochs", o.epochs, (v) => Number.isInteger(v) && v >= 0, "a non-negative integer");
      const model = await readModel(path);
      const outShape = model.graph.outputs[0]?.shape;
      const rawTrain = (await split(o.dataset, "train"))!;
      let maskFactor: number | undefined;
      if (rawTrain.targetKind === "mask") {
        const h = outShape?.[2];
        if (typeof h !== "number") throw new InputError(path, `output "${model.graph.outputs[0]?.name}" needs a static [N, 1, h, w] shape for a mask dataset`);
        maskFactor = rawTrain.targetShape[1] / h;
        if (!Number.isInteger(maskFactor)) throw new InputError(path, `mask height ${h} does not divide the dataset's ${rawTrain.targetShape[1]}`);
      } else if (!o.label && (rawTrain.labelNames?.length ?? 1) > 1) {
        throw new InputError("--label", `the dataset has labels ${rawTrain.labelNames!.join(", ")}: name the one ${path} predicts`);
      }
      const view = (ds: TensorDataset) => viewFor(ds, o.label, maskFactor);
      const train = view(rawTrain);
      const validation = view((await split(o.dataset, "val"))!);
      const rawTest = await split(o.dataset, "test");
      const test = rawTest && view(rawTest);
      const isMask = train.targetKind === "mask";
      const lossName = o.loss ?? (isMask ? "bce-logits" : "l1");
      const jitter = frac("jitter", o.jitter, 0, 1);
      const recipe: LevelRecipe = {
        method: "prune",
        steps,
        fraction,
        epochs,
        trainSamples: o.trainSamples === undefined ? train.size : posInt("train-samples", o.trainSamples),
        batchSize: posInt("batch-size", o.batchSize),
        lr: num("lr", o.lr, (v) => v > 0, "a positive number"),
        minLr: num("min-lr", o.minLr, (v) => v >= 0, "a non-negative number"),
        warmupSteps: num("warmup", o.warmup, (v) => Number.isInteger(v) && v >= 0, "a non-negative integer"),
        weightDecay: num("weight-decay", o.weightDecay, (v) => v >= 0, "a non-negative number"),
        loss: lossName === "bce-logits" ? { kind: "bce-with-logits", posWeight: num("pos-weight", o.posWeight, (v) => v > 0, "a positive number") } : { kind: lossName as "l1" | "mse" },
        augment: { horizontalFlip: frac("flip", o.flip, 0, 1), colorJitter: { brightness: jitter, contrast: jitter, saturation: jitter } },
        seed: num("seed", o.seed, (v) => Number.isInteger(v) && v >= 0, "a non-negative integer"),
      };
      const evaluate = async (nn: NnModel, ds: TensorDataset): Promise<Record<string, number>> => {
        if (isMask) {
          const m = await laneMaskMetrics(nn, ds);
          return { laneIoU: m.iou, laneRecall: m.recall, lanePrecision: m.precision };
        }
        return { l1: await regressionL1(nn, ds) };
      };
      const primary = isMask ? { name: "laneIoU", mode: "max" as const } : { name: "l1", mode: "min" as const };
      console.log(`${path}: ${steps} levels, ${(fraction * 100).toFixed(1)} % of the remaining channels per step, ${epochs} epoch(s) on ${Math.min(recipe.trainSamples, train.size)} samples per level`);
      console.log(formatHeader(primary.name));
      const built = await buildLevels({
        model,
        train,
        validation,
        test,
        recipe,
        evaluate,
        primary,
        root: o.out,
        onLevel: (r, reused) => console.log(formatLevel(r, primary.name) + (reused ? "  (reused)" : "")),
      });
      console.log(
        `${built.dir}: ${built.set.levels.length - 1} levels (${built.trainedLevels} trained now); last level keeping the original's ${primary.name}: ${built.set.lastLosslessLevel}`,
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
