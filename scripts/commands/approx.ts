import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import {
  adam,
  bceWithLogitsLoss,
  CosineSchedule,
  factorizeModel,
  finetune,
  l1Loss,
  loadDataset,
  loadModel,
  modelStats,
  mseLoss,
  pruneChannels,
  readModel,
  smoothL1Loss,
  writeModel,
  type FinetuneRecipe,
  type Loss,
  type Model,
} from "../../optimizer/index.ts";

interface ApproxCliOptions {
  method: string;
  amount: string;
  out: string;
  dataset?: string;
  labels?: string;
  finetuneEpochs?: string;
  loss?: string;
  lr: string;
  batchSize: string;
  runs: string;
}

const LOSSES: Record<string, () => Loss> = { l1: l1Loss, mse: mseLoss, smoothl1: () => smoothL1Loss(), "bce-logits": () => bceWithLogitsLoss() };

/**
 * `approxcaliper approx model.onnx --method prune|lowrank --amount f --out small.onnx`:
 * one approximation of any model, optionally fine-tuned on a dataset, with
 * FLOPs, parameters and one-thread latency before and after.
 */
export function register(program: Command): void {
  program
    .command("approx")
    .description("prune or low-rank-factorize an ONNX model and report FLOPs, params and latency before/after")
    .argument("<model>", ".onnx file")
    .requiredOption("--method <method>", "prune (structured L1 channel pruning) or lowrank (Tai et al. factorization)")
    .requiredOption(
      "--amount <fraction>",
      "0–1: prune = fraction of output channels removed from each prunable layer; lowrank = fraction of each layer's rank removed",
    )
    .requiredOption("--out <file>", "where to write the approximated .onnx")
    .option("--dataset <dir>", "fine-tune on this dataset (labels.json format) after approximating")
    .option("--labels <file>", "labels file of --dataset (default <dir>/labels.json)")
    .option("--finetune-epochs <n>", "epochs of fine-tuning (requires --dataset)")
    .option("--loss <name>", `fine-tuning loss: ${Object.keys(LOSSES).join(", ")} (default l1 for label vectors, bce-logits for masks)`)
    .option("--lr <rate>", "peak learning rate of the fine-tuning schedule (Adam, cosine decay)", "0.001")
    .option("--batch-size <n>", "fine-tuning batch size", "32")
    .option("--runs <n>", "timed runs per latency measurement (batch 1, one thread)", "30")
    .action(async (path: string, o: ApproxCliOptions) => {
      const method = o.method;
      if (method !== "prune" && method !== "lowrank") throw new InputError("--method", `expected prune or lowrank, got "${method}"`);
      const amount = Number(o.amount);
      if (o.amount.trim() === "" || !Number.isFinite(amount) || amount < 0 || amount >= 1) {
        throw new InputError("--amount", `expected a fraction in [0, 1), got "${o.amount}"`);
      }
      const runs = positiveInt(o.runs, "--runs");
      const epochs = o.finetuneEpochs === undefined ? undefined : positiveInt(o.finetuneEpochs, "--finetune-epochs");
      if (epochs !== undefined && !o.dataset) throw new InputError("--finetune-epochs", "needs --dataset");
      if (o.loss !== undefined && !LOSSES[o.loss]) throw new InputError("--loss", `expected one of ${Object.keys(LOSSES).join(", ")}, got "${o.loss}"`);
      if (o.dataset && !existsSync(o.dataset)) throw new InputError("--dataset", `no such folder: ${o.dataset}`);

      const model = await readModel(path);
      let result: Model;
      if (method === "prune") {
        const r = pruneChannels(model, amount);
        for (const w of r.warnings) console.warn(`warning: ${w}`);
        console.log(`pruned ${r.groups.pruned} of ${r.groups.prunable} prunable channel groups (${r.groups.frozen} frozen: graph inputs/outputs or unsupported structure)`);
        result = r.model;
      } else {
        const r = factorizeModel(model, amount);
        console.log(`factorized ${r.factorized.length} conv(s): ${r.factorized.map((f) => `${f.node} rank ${f.rank}/${f.fullRank}`).join(", ") || "none"}`);
        const notSaving = r.skipped.filter((s) => /would not save/.test(s.reason)).length;
        if (notSaving) console.log(`${notSaving} conv(s) kept: their rank at this amount would not save MACs`);
        result = r.model;
      }
      if (o.dataset) {
        const dataset = await loadDataset(o.dataset, o.labels ?? join(o.dataset, "labels.json"));
        const batchSize = positiveInt(o.batchSize, "--batch-size");
        const lr = Number(o.lr);
        if (!(lr > 0)) throw new InputError("--lr", `expected a positive number, got "${o.lr}"`);
        const ep = epochs ?? 1;
        const recipe: FinetuneRecipe = {
          train: dataset,
          loss: LOSSES[o.loss ?? (dataset.targetKind === "mask" ? "bce-logits" : "l1")](),
          optimizer: adam(),
          schedule: new CosineSchedule({ lr, totalSteps: ep * Math.ceil(dataset.size / batchSize) }),
          batchSize,
          epochs: ep,
        };
        console.log(`fine-tuning ${ep} epoch(s) on ${dataset.size} samples from ${o.dataset}`);
        result = await finetune(result, recipe);
      }
      await writeModel(result, o.out);

      const before = modelStats(model, { where: path });
      const after = modelStats(result, { where: o.out });
      const msBefore = await latency(model, runs);
      const msAfter = await latency(result, runs);
      const row = (name: string, a: number, b: number, unit: string, digits: number) =>
        `${name.padEnd(10)} ${a.toFixed(digits).padStart(12)} ${b.toFixed(digits).padStart(12)} ${(b / a).toFixed(3).padStart(8)}  ${unit}`;
      console.log(`${"".padEnd(10)} ${"before".padStart(12)} ${"after".padStart(12)} ${"ratio".padStart(8)}`);
      console.log(row("FLOPs", before.totalFlops / 1e6, after.totalFlops / 1e6, "MFLOPs (2 × MACs)", 2));
      console.log(row("params", before.totalParams / 1e6, after.totalParams / 1e6, "M", 4));
      console.log(row("latency", msBefore, msAfter, `ms (median of ${runs}, batch 1, 1 thread); speed-up ${(msBefore / msAfter).toFixed(2)}×`, 3));
      console.log(`wrote ${o.out}`);
    });
}

function positiveInt(text: string, where: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(where, `expected a positive integer, got "${text}"`);
  return n;
}

async function latency(model: Model, runs: number): Promise<number> {
  const nn = await loadModel(model, { intraOpThreads: 1 });
  try {
    return (await nn.measureLatency({ warmup: 5, runs })).medianMs;
  } finally {
    await nn.dispose();
  }
}
