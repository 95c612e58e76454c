import { join } from "node:path";
import type { Command } from "commander";
import { InputError, Random } from "../../common/index.ts";
import {
  adam,
  adamW,
  bceWithLogitsLoss,
  colorJitter,
  ConstantSchedule,
  CosineSchedule,
  fit,
  horizontalFlip,
  l1Loss,
  loadDataset,
  mseLoss,
  OneCycleSchedule,
  readModel,
  sgd,
  smoothL1Loss,
  softmaxCrossEntropyLoss,
  TrainingSession,
  writeModel,
  type Augmentation,
  type Loss,
  type LrSchedule,
  type Optimizer,
} from "../../optimizer/index.ts";

interface TrainCliOptions {
  data: string;
  labels?: string;
  val?: string;
  valLabels?: string;
  valFraction: string;
  out: string;
  loss: string;
  posWeight: string;
  optimizer: string;
  lr: string;
  momentum: string;
  weightDecay: string;
  schedule: string;
  epochs: string;
  batch: string;
  seed: string;
  patience?: string;
  checkpoint?: string;
  flip: string;
  jitter: string;
  freeze?: string;
  threads: string;
}

/** `approxcaliper train model.onnx --data <dir> --out trained.onnx`: fine-tune an ONNX model on a labels.json dataset. */
export function register(program: Command): void {
  program
    .command("train")
    .description("train or fine-tune an ONNX model on an image dataset (folder + labels.json) with onnxruntime; writes the trained model")
    .argument("<model>", ".onnx file (one input, NCHW)")
    .requiredOption("--data <dir>", "training dataset folder")
    .option("--labels <file>", "labels file of --data (default <dir>/labels.json)")
    .option("--val <dir>", "validation dataset folder (default: --val-fraction of --data)")
    .option("--val-labels <file>", "labels file of --val (default <val>/labels.json)")
    .option("--val-fraction <f>", "fraction of --data held out for validation when --val is not given", "0.1")
    .requiredOption("--out <file>", "trained .onnx model to write")
    .option("--loss <name>", "l1 | mse | smooth-l1 | bce | ce", "l1")
    .option("--pos-weight <w>", "bce: weight of the positive class", "1")
    .option("--optimizer <name>", "sgd | adam | adamw", "adam")
    .option("--lr <x>", "peak learning rate", "0.001")
    .option("--momentum <x>", "sgd momentum", "0.9")
    .option("--weight-decay <x>", "weight decay (L2 for sgd/adam, decoupled for adamw)", "0")
    .option("--schedule <name>", "constant | cosine | one-cycle", "cosine")
    .option("--epochs <n>", "epochs", "10")
    .option("--batch <n>", "batch size", "32")
    .option("--seed <n>", "seed of shuffling, augmentation, dropout and the validation split", "0")
    .option("--patience <n>", "early stopping: epochs without improvement (restores the best weights)")
    .option("--checkpoint <dir>", "checkpoint folder; an interrupted run resumes from it")
    .option("--flip <p>", "horizontal flip probability (needs labels.flip for vector labels)", "0")
    .option("--jitter <x>", "color jitter strength (brightness, contrast, saturation)", "0")
    .option("--freeze <names>", "comma-separated parameter (initializer) names to keep fixed")
    .option("--threads <n>", "onnxruntime intra-op threads", "1")
    .action(async (modelPath: string, o: TrainCliOptions) => {
      const epochs = positiveInt(o.epochs, "--epochs");
      const batchSize = positiveInt(o.batch, "--batch");
      const seed = Number(o.seed);
      if (!Number.isFinite(seed)) throw new InputError("--seed", `expected a number, got "${o.seed}"`);
      const lr = positive(o.lr, "--lr");
      const model = await readModel(modelPath);
      let train = await loadDataset(o.data, o.labels ?? join(o.data, "labels.json"));
      let validation;
      if (o.val) validation = await loadDataset(o.val, o.valLabels ?? join(o.val, "labels.json"));
      else [train, validation] = train.split(Number(o.valFraction), new Random(seed).fork("validation-split"));
      const totalSteps = epochs * Math.ceil(train.size / batchSize);
      const session = await TrainingSession.create(model, {
        loss: lossOf(o),
        optimizer: optimizerOf(o),
        frozen: o.freeze ? o.freeze.split(",").map((s) => s.trim()) : undefined,
        intraOpThreads: positiveInt(o.threads, "--threads"),
        seed,
        batchSize,
      });
      const augment: Augmentation[] = [];
      if (Number(o.flip) > 0) augment.push(horizontalFlip({ p: Number(o.flip) }));
      if (Number(o.jitter) > 0) augment.push(colorJitter({ brightness: Number(o.jitter), contrast: Number(o.jitter), saturation: Number(o.jitter) }));
      try {
        const result = await fit(session, {
          train,
          validation,
          epochs,
          batchSize,
          schedule: scheduleOf(o.schedule, lr, totalSteps),
          seed,
          augment,
          earlyStopping: o.patience ? { patience: positiveInt(o.patience, "--patience") } : undefined,
          checkpoint: o.checkpoint ? { dir: o.checkpoint } : undefined,
          onEpoch: (e) =>
            console.log(
              `epoch ${e.epoch + 1}/${epochs}  train ${session.loss.kind} ${e.trainLoss.toFixed(5)}  val ${e.validation?.toFixed(5)}  lr ${e.lr.toExponential(2)}`,
            ),
        });
        if (result.resumedFromStep !== undefined) console.log(`(resumed from step ${result.resumedFromStep})`);
        await writeModel(result.model, o.out);
        console.log(`${o.out}: best epoch ${result.bestEpoch + 1}, validation ${result.bestValidation?.toFixed(5)}${result.stoppedEarly ? " (stopped early)" : ""}`);
      } finally {
        await session.release();
      }
    });
}

function lossOf(o: TrainCliOptions): Loss {
  switch (o.loss) {
    case "l1":
      return l1Loss();
    case "mse":
      return mseLoss();
    case "smooth-l1":
      return smoothL1Loss();
    case "bce":
      return bceWithLogitsLoss(positive(o.posWeight, "--pos-weight"));
    case "ce":
      return softmaxCrossEntropyLoss();
    default:
      throw new InputError("--loss", `unknown loss "${o.loss}" (l1, mse, smooth-l1, bce, ce)`);
  }
}

function optimizerOf(o: TrainCliOptions): Optimizer {
  const weightDecay = Number(o.weightDecay);
  if (!(weightDecay >= 0)) throw new InputError("--weight-decay", `expected a number ≥ 0, got "${o.weightDecay}"`);
  switch (o.optimizer) {
    case "sgd":
      return sgd({ momentum: Number(o.momentum), weightDecay });
    case "adam":
      return adam({ weightDecay });
    case "adamw":
      return adamW({ weightDecay });
    default:
      throw new InputError("--optimizer", `unknown optimizer "${o.optimizer}" (sgd, adam, adamw)`);
  }
}

function scheduleOf(name: string, lr: number, totalSteps: number): LrSchedule {
  switch (name) {
    case "constant":
      return new ConstantSchedule(lr);
    case "cosine":
      return new CosineSchedule({ lr, totalSteps });
    case "one-cycle":
      return new OneCycleSchedule({ maxLr: lr, totalSteps: Math.max(totalSteps, 4) });
    default:
      throw new InputError("--schedule", `unknown schedule "${name}" (constant, cosine, one-cycle)`);
  }
}

function positiveInt(v: string, where: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(where, `expected a positive integer, got "${v}"`);
  return n;
}

function positive(v: string, where: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new InputError(where, `expected a positive number, got "${v}"`);
  return n;
}
