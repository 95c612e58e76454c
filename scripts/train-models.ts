/**
 * `npm run train:models [-- --quick] [--data <dir>] [--only heading,distance,lanenet] [--workers <n>]`
 *
 * One reproducible command for the shipped perception models: renders the
 * CropFollow and GEM datasets in the simulator (skipped when `<data>/<kind>/dataset.json`
 * already describes the same recipe), trains `models/heading.onnx`,
 * `models/distance.onnx` (ResNet-style regressors) and `models/lanenet.onnx`
 * (encoder–decoder lane segmentation) with the project's ONNX training engine,
 * evaluates them on the validation worlds, and writes a model card
 * `models/<name>.json` for each, plus `models/cropfollow.onnx` — heading and
 * distance merged on one input, the single file the closed loop's `--model` takes.
 * Training checkpoints live in `<data>/checkpoints/<name>`; a killed run resumes.
 * `--quick` uses small datasets and few epochs (a first model in minutes).
 *
 * Duration on the 2-core dev machine: ≈ 9 min (datasets ≈ 2 min: 16,000 CropFollow frames at
 * 64×48 and 4,800 GEM frames at 128×64 on 2 workers; then the three models trained concurrently,
 * one onnxruntime thread each, ≈ 7 min); up to ~4× longer when the machine is busy. Training is
 * deterministic: a fresh run into an empty `--data`/`--out` reproduced the shipped files byte for byte.
 * `--latency-only` re-measures the latency in the existing cards of `--only` models and exits
 * (for models trained in separate runs: latency is measured with no training competing).
 */
import { readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  encodeModel,
  labelColumn,
  laneMaskMetrics,
  loadModel,
  modelStats,
  poolMasks,
  regressionL1,
  writeModel,
  type Model,
  type TensorDataset,
} from "../optimizer/index.ts";
import { DATASET_GENERATOR_VERSION } from "../sim/index.ts";
import { laneNet, rowRegressionNet } from "./models/architectures.ts";
import { mergeRowModels } from "./models/mergeRowModels.ts";
import { cardInput, type ModelCard } from "./models/modelCard.ts";
import { DATASETS, RECIPES, SHIPPED_LANE_MASK_FACTOR, type DatasetRecipe, type TrainingRecipe } from "./models/recipes.ts";
import { ensureDataset, loadSplit } from "./models/ensureDataset.ts";
import { trainWithRecipe, type Trained } from "./models/trainWithRecipe.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const dataRoot = flag("--data") ?? (quick ? "data/models-quick" : "data/models");
const outDir = flag("--out") ?? "models";
const only = new Set((flag("--only") ?? "heading,distance,lanenet").split(","));
const workers = flag("--workers") !== undefined ? Number(flag("--workers")) : undefined;
const sizes = DATASETS[quick ? "quick" : "full"];
const COMMAND = `npm run train:models${quick ? " -- --quick" : ""}`;

async function train(name: string, model: Model, recipe: TrainingRecipe, trainSet: TensorDataset, valSet: TensorDataset): Promise<Trained> {
  const epochs = quick ? Math.max(3, Math.round(recipe.epochs / 3)) : recipe.epochs;
  return trainWithRecipe(name, model, { ...recipe, epochs }, { train: trainSet, validation: valSet }, join(dataRoot, "checkpoints", name));
}

/** Cards waiting for their latency, which is measured once no training competes for the cores. */
const pendingCards: ModelCard[] = [];

async function writeCard(
  name: string,
  trained: Trained,
  dataset: DatasetRecipe,
  dsDir: string,
  card: Pick<ModelCard, "architecture" | "output" | "metrics">,
): Promise<void> {
  const file = join(outDir, `${name}.onnx`);
  await writeModel(trained.model, file);
  const stats = modelStats(trained.model);
  const m = JSON.parse(readFileSync(join(dsDir, "dataset.json"), "utf8"));
  pendingCards.push({
    name,
    file: `${name}.onnx`,
    architecture: card.architecture,
    input: cardInput(dataset.height, dataset.width),
    output: card.output,
    dataset: {
      ...dataset,
      generatorVersion: DATASET_GENERATOR_VERSION[dataset.kind],
      trainCount: m.splits.train.count,
      valCount: m.splits.val.count,
      command: `approxcaliper dataset ${dataset.kind} --out <dir> --worlds ${dataset.worlds} --per-world ${dataset.perWorld} --seed ${dataset.seed} --width ${dataset.width} --height ${dataset.height}`,
    },
    training: { ...trained.recipe, bestEpoch: trained.bestEpoch, seconds: Math.round(trained.seconds), history: trained.history },
    metrics: card.metrics,
    flops: stats.totalFlops,
    params: stats.totalParams,
    sizeBytes: statSync(file).size,
    latencyMs: NaN,
    command: COMMAND,
  });
  console.log(`${file}: ${JSON.stringify(card.metrics)}; ${(stats.totalFlops / 1e6).toFixed(1)} MFLOP, ${stats.totalParams} params`);
}

/** Median latency (ms) at batch 1 on one intra-op thread. */
async function latencyOf(file: string): Promise<number> {
  const nn = await loadModel(file, { intraOpThreads: 1 });
  const ms = (await nn.measureLatency({ warmup: 50, runs: 500 })).medianMs;
  await nn.dispose();
  return ms;
}

if (args.includes("--latency-only")) {
  for (const name of only) {
    const path = join(outDir, `${name}.json`);
    const card = JSON.parse(readFileSync(path, "utf8")) as ModelCard;
    card.latencyMs = await latencyOf(join(outDir, card.file));
    await writeFile(path, JSON.stringify(card, null, 2) + "\n");
    console.log(`${join(outDir, card.file)}: ${card.latencyMs.toFixed(3)} ms at batch 1 on one thread`);
  }
  process.exit(0);
}

await mkdir(outDir, { recursive: true });
const t0 = performance.now();
const jobs: Promise<void>[] = [];

if (only.has("heading") || only.has("distance")) {
  const recipe = sizes.cropfollow;
  const dir = await ensureDataset(dataRoot, recipe, workers);
  const [trainSet, valSet] = [await loadSplit(dir, "train"), await loadSplit(dir, "val")];
  const rowJob = async (name: "heading" | "distance") => {
    const tr = labelColumn(trainSet, name);
    const va = labelColumn(valSet, name);
    const seed = RECIPES[name].seed;
    const trained = await train(
      name,
      rowRegressionNet({ width: recipe.width, height: recipe.height, seed, output: name }),
      RECIPES[name],
      tr,
      va,
    );
    const nn = await loadModel(trained.model, { intraOpThreads: 1 });
    const l1 = await regressionL1(nn, va);
    await nn.dispose();
    const metrics: Record<string, number> = name === "heading" ? { headingL1Deg: (l1 * 180) / Math.PI } : { distanceL1: l1 };
    await writeCard(name, trained, recipe, dir, {
      architecture:
        "ResNet-style CNN: conv3×3(16,/2)-BN-ReLU; basic residual blocks (conv-BN-ReLU-conv-BN + skip, Add, ReLU) 24(/2, 1×1 projection), 32(/2, projection), 32; Flatten → Gemm(64) → ReLU → Gemm(1). BatchNorm kept (not folded).",
      output: {
        name: `${name}_out`,
        shape: ["N", 1],
        meaning: name === "heading" ? "heading φ (rad): robot yaw − row tangent" : "distance ratio d = dLeft / (dLeft + dRight), 0.5 = centred",
      },
      metrics,
    });
  };
  jobs.push(...(["heading", "distance"] as const).filter((n) => only.has(n)).map(rowJob));
}

if (only.has("lanenet")) {
  const recipe = sizes.gem;
  const dir = await ensureDataset(dataRoot, recipe, workers);
  const trainSet = poolMasks(await loadSplit(dir, "train"), SHIPPED_LANE_MASK_FACTOR);
  const valSet = poolMasks(await loadSplit(dir, "val"), SHIPPED_LANE_MASK_FACTOR);
  jobs.push(
    (async () => {
      const trained = await train(
        "lanenet",
        laneNet({ width: recipe.width, height: recipe.height, seed: RECIPES.lanenet.seed }),
        RECIPES.lanenet,
        trainSet,
        valSet,
      );
      const nn = await loadModel(trained.model, { intraOpThreads: 1 });
      const m = await laneMaskMetrics(nn, valSet);
      await nn.dispose();
      await writeCard("lanenet", trained, recipe, dir, {
        architecture:
          "LaneNet-style encoder–decoder: conv(16,/2) → conv(24,/2) → residual bottleneck (2 convs + Add) → ConvTranspose(2×2, ×2, 16) + Concat skip (1/2 encoder) → conv(8) → 1×1 conv; every conv is conv-BN-ReLU. BatchNorm kept (not folded).",
        output: {
          name: "mask_out",
          shape: ["N", 1, recipe.height / SHIPPED_LANE_MASK_FACTOR, recipe.width / SHIPPED_LANE_MASK_FACTOR],
          meaning: "lane-marking logits at half the input resolution; lane where > 0 (threshold 0). Targets: the oracle mask max-pooled 2×2.",
        },
        metrics: { laneRecall: m.recall, lanePrecision: m.precision, laneIoU: m.iou },
      });
    })(),
  );
}

await Promise.all(jobs);

for (const card of pendingCards) {
  card.latencyMs = await latencyOf(join(outDir, card.file));
  await writeFile(join(outDir, `${card.name}.json`), JSON.stringify(card, null, 2) + "\n");
  console.log(`${join(outDir, card.file)}: ${card.latencyMs.toFixed(3)} ms at batch 1 on one thread`);
}

if (only.has("heading") && only.has("distance")) {
  const { readModel } = await import("../optimizer/index.ts");
  const merged = mergeRowModels(await readModel(join(outDir, "heading.onnx")), await readModel(join(outDir, "distance.onnx")));
  await writeFile(join(outDir, "cropfollow.onnx"), encodeModel(merged));
  console.log(`${join(outDir, "cropfollow.onnx")}: heading + distance on one input (outputs heading, distance)`);
}
console.log(`done in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
