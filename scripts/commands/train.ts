import { join } from "node:path";
import type { Command } from "commander";
import { Random } from "../../common/index.ts";
import {
  adam,
  adamW,
  colorJitter,
  ConstantSchedule,
  CosineSchedule,
  DEFAULT_LOSS,
  fit,
  horizontalFlip,
  loadDataset,
  lossByName,
  OneCycleSchedule,
  readModel,
  sgd,
  TrainingSession,
  writeModel,
  type Augmentation,
  type LrSchedule,
  type Optimizer,
} from "../../optimizer/index.ts";
import {
  argument,
  choiceOption,
  deprecatedAlias,
  existingPathArg,
  fractionArg,
  intArg,
  listArg,
  numberArg,
  numberSchema,
  option,
  positiveArg,
} from "../options/index.ts";
import { lossOption } from "../options/namedOptions.ts";
import { stepProgress } from "../progress/stepProgress.ts";

interface TrainCliOptions {
  data: string;
  labels?: string;
  val?: string;
  valLabels?: string;
  valFraction: number;
  out: string;
  loss?: string;
  posWeight: number;
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  weightDecay: number;
  schedule: ScheduleName;
  epochs: number;
  batchSize: number;
  seed: number;
  patience?: number;
  checkpoint?: string;
  flip: number;
  jitter: number;
  freeze?: string[];
  threads: number;
}

const OPTIMIZERS = ["sgd", "adam", "adamw"] as const;
type OptimizerName = (typeof OPTIMIZERS)[number];
const SCHEDULES = ["constant", "cosine", "one-cycle"] as const;
type ScheduleName = (typeof SCHEDULES)[number];

/** `approxcaliper train model.onnx --data <dir> --out trained.onnx`: fine-tune an ONNX model on a labels.json dataset. */
export function register(program: Command): void {
  const command = program
    .command("train")
    .description("train or fine-tune an ONNX model on an image dataset (folder + labels.json) with onnxruntime; writes the trained model")
    .addArgument(argument("<model>", ".onnx file (one input, NCHW)", existingPathArg("file")))
    .addOption(option("--data <dir>", "training dataset folder", existingPathArg("folder")).makeOptionMandatory())
    .addOption(option("--labels <file>", "labels file of --data (default <dir>/labels.json)", existingPathArg("file")))
    .addOption(option("--val <dir>", "validation dataset folder (default: --val-fraction of --data)", existingPathArg("folder")))
    .addOption(option("--val-labels <file>", "labels file of --val (default <val>/labels.json)", existingPathArg("file")))
    .addOption(
      option("--val-fraction <f>", "fraction of --data held out for validation when --val is not given", fractionArg({ open: true }), 0.1),
    )
    .requiredOption("--out <file>", "trained .onnx model to write")
    .addOption(lossOption())
    .addOption(option("--pos-weight <w>", "bce: weight of the positive class", positiveArg(), 1))
    .addOption(choiceOption("--optimizer <name>", "optimizer", OPTIMIZERS, "adam"))
    .addOption(option("--lr <x>", "peak learning rate", positiveArg(), 0.001))
    .addOption(option("--momentum <x>", "sgd momentum", numberArg(numberSchema(0, 1)), 0.9))
    .addOption(option("--weight-decay <x>", "weight decay (L2 for sgd/adam, decoupled for adamw)", numberArg(numberSchema(0)), 0))
    .addOption(choiceOption("--schedule <name>", "learning-rate schedule", SCHEDULES, "cosine"))
    .addOption(option("--epochs <n>", "epochs", intArg(1), 10))
    .addOption(option("--batch-size <n>", "batch size", intArg(1), 32))
    .addOption(option("--seed <n>", "seed of shuffling, augmentation, dropout and the validation split", intArg(0), 0))
    .addOption(option("--patience <n>", "early stopping: epochs without improvement (restores the best weights)", intArg(1)))
    .option("--checkpoint <dir>", "checkpoint folder; an interrupted run resumes from it")
    .addOption(option("--flip <p>", "horizontal flip probability (needs labels.flip for vector labels)", numberArg(numberSchema(0, 1)), 0))
    .addOption(option("--jitter <x>", "color jitter strength (brightness, contrast, saturation)", numberArg(numberSchema(0)), 0))
    .addOption(
      option(
        "--freeze <names>",
        "comma-separated parameter (initializer) names to keep fixed",
        listArg((name) => name),
      ),
    )
    .addOption(option("--threads <n>", "onnxruntime intra-op threads", intArg(1, 256), 1));
  deprecatedAlias(command, "--batch <n>", "--batch-size");
  command.action(async (modelPath: string, o: TrainCliOptions) => {
    const { epochs, batchSize, seed, lr } = o;
    const model = await readModel(modelPath);
    let train = await loadDataset(o.data, o.labels ?? join(o.data, "labels.json"));
    let validation;
    if (o.val) validation = await loadDataset(o.val, o.valLabels ?? join(o.val, "labels.json"));
    else [train, validation] = train.split(o.valFraction, new Random(seed).fork("validation-split"));
    const totalSteps = epochs * Math.ceil(train.size / batchSize);
    const session = await TrainingSession.create(model, {
      loss: lossByName(o.loss ?? DEFAULT_LOSS[train.targetKind], { posWeight: o.posWeight }, "--loss"),
      optimizer: optimizerOf(o),
      frozen: o.freeze,
      intraOpThreads: o.threads,
      seed,
      batchSize,
    });
    const augment: Augmentation[] = [];
    if (o.flip > 0) augment.push(horizontalFlip({ p: o.flip }));
    if (o.jitter > 0) augment.push(colorJitter({ brightness: o.jitter, contrast: o.jitter, saturation: o.jitter }));
    const progress = stepProgress("train", totalSteps, { unit: "steps", lineEverySeconds: 10 });
    try {
      const result = await fit(session, {
        train,
        validation,
        epochs,
        batchSize,
        schedule: scheduleOf(o.schedule, lr, totalSteps),
        seed,
        augment,
        earlyStopping: o.patience ? { patience: o.patience } : undefined,
        checkpoint: o.checkpoint ? { dir: o.checkpoint } : undefined,
        onStep: ({ step, epoch, loss }) => progress.update(step + 1, `epoch ${epoch + 1}/${epochs}, loss ${loss.toPrecision(4)}`),
        onEpoch: (e) =>
          progress.log(
            `epoch ${e.epoch + 1}/${epochs}  train ${session.loss.kind} ${e.trainLoss.toFixed(5)}  val ${e.validation?.toFixed(5)}  lr ${e.lr.toExponential(2)}`,
          ),
      });
      progress.stop();
      if (result.resumedFromStep !== undefined) console.log(`(resumed from step ${result.resumedFromStep})`);
      await writeModel(result.model, o.out);
      console.log(
        `${o.out}: best epoch ${result.bestEpoch + 1}, validation ${result.bestValidation?.toFixed(5)}${result.stoppedEarly ? " (stopped early)" : ""}`,
      );
    } finally {
      progress.stop();
      await session.release();
    }
  });
}

function optimizerOf(o: TrainCliOptions): Optimizer {
  const weightDecay = o.weightDecay;
  switch (o.optimizer) {
    case "sgd":
      return sgd({ momentum: o.momentum, weightDecay });
    case "adam":
      return adam({ weightDecay });
    case "adamw":
      return adamW({ weightDecay });
  }
}

function scheduleOf(name: ScheduleName, lr: number, totalSteps: number): LrSchedule {
  switch (name) {
    case "constant":
      return new ConstantSchedule(lr);
    case "cosine":
      return new CosineSchedule({ lr, totalSteps });
    case "one-cycle":
      return new OneCycleSchedule({ maxLr: lr, totalSteps: Math.max(totalSteps, 4) });
  }
}
