import { statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import {
  adam,
  CosineSchedule,
  DEFAULT_LOSS,
  factorizeModel,
  finetune,
  loadDataset,
  loadModel,
  lossByName,
  modelStats,
  pruneChannels,
  readModel,
  writeModel,
  type FinetuneRecipe,
  type Model,
} from "../../optimizer/index.ts";
import { argument, choiceOption, deprecatedAlias, existingPathArg, fractionArg, intArg, option, positiveArg } from "../options/index.ts";
import { lossOption } from "../options/namedOptions.ts";
import { stepProgress, type StepProgress } from "../progress/stepProgress.ts";

interface ApproxCliOptions {
  method: "prune" | "lowrank";
  amount: number;
  out: string;
  data?: string;
  labels?: string;
  epochs?: number;
  loss?: string;
  lr: number;
  batchSize: number;
  runs: number;
}

/**
 * `approxcaliper approx model.onnx --method prune|lowrank --amount f --out small.onnx`:
 * one approximation of any model, optionally fine-tuned on a dataset, with
 * FLOPs, parameters and one-thread latency before and after.
 */
export function register(program: Command): void {
  const command = program
    .command("approx")
    .description("prune or low-rank-factorize an ONNX model and report FLOPs, params and latency before/after")
    .addArgument(argument("<model>", ".onnx file", existingPathArg("file")))
    .addOption(
      choiceOption("--method <method>", "prune (structured L1 channel pruning) or lowrank (Tai et al. factorization)", [
        "prune",
        "lowrank",
      ]).makeOptionMandatory(),
    )
    .addOption(
      option(
        "--amount <fraction>",
        "0–1: prune = fraction of output channels removed from each prunable layer; lowrank = fraction of each layer's rank removed",
        fractionArg(),
      ).makeOptionMandatory(),
    )
    .requiredOption("--out <file>", "where to write the approximated .onnx")
    .addOption(option("--data <dir>", "fine-tune on this dataset (labels.json format) after approximating", existingPathArg("folder")))
    .addOption(option("--labels <file>", "labels file of --data (default <dir>/labels.json)", existingPathArg("file")))
    .addOption(option("--epochs <n>", "epochs of fine-tuning (needs --data)", intArg(1), undefined, "1 with --data"))
    .addOption(lossOption("fine-tuning loss"))
    .addOption(option("--lr <rate>", "peak learning rate of the fine-tuning schedule (Adam, cosine decay)", positiveArg(), 0.001))
    .addOption(option("--batch-size <n>", "fine-tuning batch size", intArg(1), 32))
    .addOption(option("--runs <n>", "timed runs per latency measurement (batch 1, one thread)", intArg(1), 30));
  deprecatedAlias(command, "--dataset <dir>", "--data");
  deprecatedAlias(command, "--finetune-epochs <n>", "--epochs");
  command.action(async (path: string, o: ApproxCliOptions) => {
    const { method, amount, runs, epochs } = o;
    if (epochs !== undefined && !o.data) throw new InputError("--epochs", "needs --data");
    if (o.labels !== undefined && !o.data) throw new InputError("--labels", "needs --data");
    const model = await readModel(path);
    let result: Model;
    if (method === "prune") {
      const r = pruneChannels(model, amount);
      for (const w of r.warnings) console.warn(`warning: ${w}`);
      console.log(
        `pruned ${r.groups.pruned} of ${r.groups.prunable} prunable channel groups (${r.groups.frozen} frozen: graph inputs/outputs or unsupported structure)`,
      );
      result = r.model;
    } else {
      let progress: StepProgress | undefined;
      const r = factorizeModel(model, amount, {
        onProgress: (done, total, conv) => {
          progress ??= stepProgress("lowrank SVDs", total, { unit: "convs" });
          progress.update(done, done < total ? `conv ${conv}` : "done");
        },
      });
      progress?.stop();
      console.log(
        `factorized ${r.factorized.length} conv(s): ${r.factorized.map((f) => `${f.node} rank ${f.rank}/${f.fullRank}`).join(", ") || "none"}`,
      );
      const notSaving = r.skipped.filter((s) => /would not save/.test(s.reason)).length;
      if (notSaving) console.log(`${notSaving} conv(s) kept: their rank at this amount would not save MACs`);
      result = r.model;
    }
    if (o.data) {
      const dataset = await loadDataset(o.data, o.labels ?? join(o.data, "labels.json"));
      const { batchSize, lr } = o;
      const ep = epochs ?? 1;
      const recipe: FinetuneRecipe = {
        train: dataset,
        loss: lossByName(o.loss ?? DEFAULT_LOSS[dataset.targetKind], {}, "--loss"),
        optimizer: adam(),
        schedule: new CosineSchedule({ lr, totalSteps: ep * Math.ceil(dataset.size / batchSize) }),
        batchSize,
        epochs: ep,
      };
      console.log(`fine-tuning ${ep} epoch(s) on ${dataset.size} samples from ${o.data}`);
      result = await finetune(result, recipe);
    }
    await writeModel(result, o.out);

    const before = modelStats(model, { where: path });
    const after = modelStats(result, { where: o.out });
    const msBefore = await latency(model, runs);
    const msAfter = await latency(result, runs);
    const bytesBefore = statSync(path).size;
    const bytesAfter = statSync(o.out).size;
    const row = (name: string, a: number, b: number, unit: string, digits: number) =>
      `${name.padEnd(10)} ${a.toFixed(digits).padStart(12)} ${b.toFixed(digits).padStart(12)} ${(b / a).toFixed(3).padStart(8)}  ${unit}`;
    console.log(`${"".padEnd(10)} ${"before".padStart(12)} ${"after".padStart(12)} ${"ratio".padStart(8)}`);
    console.log(row("FLOPs", before.totalFlops / 1e6, after.totalFlops / 1e6, "MFLOPs (2 × MACs)", 2));
    console.log(row("params", before.totalParams / 1e6, after.totalParams / 1e6, "M", 4));
    console.log(row("latency", msBefore, msAfter, `ms (median of ${runs}, batch 1, 1 thread); speed-up ${(msBefore / msAfter).toFixed(2)}×`, 3));
    console.log(row("file", bytesBefore / 1e6, bytesAfter / 1e6, "MB", 3));
    console.log(`wrote ${o.out}`);
    for (const w of costWarnings(
      { ms: msBefore, params: before.totalParams, bytes: bytesBefore },
      { ms: msAfter, params: after.totalParams, bytes: bytesAfter },
    )) {
      console.warn(`warning: ${w}`);
    }
  });
}

/** Latency (ms), parameters and file size (bytes) of a model. */
export interface ModelCost {
  ms: number;
  params: number;
  bytes: number;
}

/**
 * Warnings for an approximation that made a model slower or larger: fewer
 * FLOPs need not mean faster (small factorized convs can run slower than the
 * dense one), and factorized weights can outgrow the original.
 */
export function costWarnings(before: ModelCost, after: ModelCost): string[] {
  const out: string[] = [];
  if (after.ms > before.ms) {
    out.push(
      `the approximated model is slower than the original (${after.ms.toFixed(3)} ms vs ${before.ms.toFixed(3)} ms, ${(before.ms / after.ms).toFixed(2)}×)`,
    );
  }
  if (after.bytes > before.bytes || after.params > before.params) {
    out.push(
      `the approximated model is larger than the original (${after.params} vs ${before.params} parameters, ${after.bytes} vs ${before.bytes} bytes)`,
    );
  }
  return out;
}

async function latency(model: Model, runs: number): Promise<number> {
  const nn = await loadModel(model, { intraOpThreads: 1 });
  try {
    return (await nn.measureLatency({ warmup: 5, runs })).medianMs;
  } finally {
    await nn.dispose();
  }
}
