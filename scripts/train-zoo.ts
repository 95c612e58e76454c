/**
 * `npm run train:zoo [-- --only <names>] [--parallel <n>] [--data <dir>] [--out <dir>] [--latency-only | --no-latency]`
 *
 * Trains the perception zoo (`scripts/models/zoo.ts`: heading × 3, distance × 3
 * and lanenet × 2 backbones from `ac.models`) with the project's training
 * engine into `models/zoo/<name>.onnx` with a model card `<name>.json` each.
 * Renders the two datasets first (skipped when `<data>/<kind>/dataset.json`
 * describes the same recipe). Models train `--parallel` at a time (default 2),
 * each in its own process with one onnxruntime thread (`runPerModel`: the
 * parent renders the datasets and measures latency, the children only
 * train); run it under
 * `nice -n 19`. Checkpoints live in
 * `<data>/checkpoints/<name>` (every 25 steps and every epoch): a killed run
 * resumes, and a model whose file and card exist is skipped. Training is
 * deterministic (seeded init, shuffling, augmentation and dropout; one thread),
 * so a fresh run reproduces the model files byte for byte. Latency is measured
 * at the end, once no training competes (`--latency-only` re-measures it;
 * `--no-latency` skips it).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { models, loadModel, modelStats, writeModel, type TensorDataset } from "../optimizer/index.ts";
import { DATASET_GENERATOR_VERSION, type DatasetManifest } from "../sim/index.ts";
import { readJsonFile } from "../common/index.ts";
import { cardInput } from "./models/modelCard.ts";
import { ensureDataset } from "./models/ensureDataset.ts";
import { zooMetrics, zooSplits } from "./models/zooData.ts";
import { trainWithRecipe } from "./models/trainWithRecipe.ts";
import { buildZooModel, ZOO, zooArchitecture, zooDatasetOf, zooRecipeOf, type ZooModel, type ZooTask } from "./models/zoo.ts";
import { CHILD_FLAG, runPerModel } from "./models/runPerModel.ts";
import { zooLatency } from "./models/zooLatency.ts";
import type { ZooCard } from "./models/zooCard.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataRoot = flag("--data") ?? "data/zoo";
const outDir = flag("--out") ?? "models/zoo";
const names = flag("--only")?.split(",");
const parallel = Number(flag("--parallel") ?? 2);
const selected = ZOO.filter((m) => !names || names.includes(m.name));
if (names)
  for (const n of names)
    if (!ZOO.some((m) => m.name === n)) throw new Error(`--only: unknown zoo model "${n}" (zoo: ${ZOO.map((m) => m.name).join(", ")})`);

const cardPath = (m: ZooModel) => join(outDir, `${m.name}.json`);
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

async function metricsOf(task: ZooTask, file: string, ds: TensorDataset): Promise<Record<string, number>> {
  const nn = await loadModel(file, { intraOpThreads: 1 });
  try {
    return await zooMetrics(task, nn, ds);
  } finally {
    await nn.dispose();
  }
}

/** A model whose file and card exist is trained (delete both to retrain). */
const isTrained = (m: ZooModel) => existsSync(join(outDir, `${m.name}.onnx`)) && existsSync(cardPath(m));

async function trainOne(m: ZooModel): Promise<void> {
  const file = join(outDir, `${m.name}.onnx`);
  const data = await zooSplits(dataRoot, m.task);
  const recipe = zooRecipeOf(m);
  const trained = await trainWithRecipe(
    m.name,
    buildZooModel(m),
    recipe,
    { train: data.train, validation: data.val },
    join(dataRoot, "checkpoints", m.name),
    25,
  );
  await writeModel(trained.model, file);
  const ds = zooDatasetOf(m.task);
  const manifest = readJsonFile(join(dataRoot, ds.kind, "dataset.json")) as DatasetManifest;
  const stats = modelStats(trained.model);
  const outShape = m.task === "lanenet" ? ["N", 1, ds.height / models.LANE_MASK_FACTOR, ds.width / models.LANE_MASK_FACTOR] : ["N", 1];
  const card: ZooCard = {
    name: m.name,
    task: m.task,
    builder: m.builder,
    file: `${m.name}.onnx`,
    sha256: sha256(file),
    architecture: zooArchitecture(m),
    input: cardInput(ds.height, ds.width),
    output: {
      name: `${m.task === "lanenet" ? "mask" : m.task}_out`,
      shape: outShape,
      meaning:
        m.task === "heading"
          ? "heading φ (rad): robot yaw − row tangent"
          : m.task === "distance"
            ? "distance ratio d = dLeft / (dLeft + dRight), 0.5 = centred"
            : `lane-marking logits at 1/${models.LANE_MASK_FACTOR} of the input per axis; lane where > 0. Targets: the oracle mask max-pooled ${models.LANE_MASK_FACTOR}×${models.LANE_MASK_FACTOR}.`,
    },
    dataset: {
      ...ds,
      generatorVersion: DATASET_GENERATOR_VERSION[ds.kind],
      trainCount: manifest.splits.train.count,
      valCount: manifest.splits.val.count,
      testCount: manifest.splits.test.count,
      command: `approxcaliper dataset ${ds.kind} --out <dir> --worlds ${ds.worlds} --per-world ${ds.perWorld} --seed ${ds.seed} --width ${ds.width} --height ${ds.height}`,
    },
    training: { ...recipe, bestEpoch: trained.bestEpoch, seconds: Math.round(trained.seconds), history: trained.history },
    metrics: { validation: await metricsOf(m.task, file, data.val), test: await metricsOf(m.task, file, data.test) },
    flops: stats.totalFlops,
    params: stats.totalParams,
    sizeBytes: statSync(file).size,
    latency: null,
    command: "npm run train:zoo",
  };
  await writeFile(cardPath(m), JSON.stringify(card, null, 2) + "\n");
  console.log(
    `${file}: test ${JSON.stringify(card.metrics.test)}; ${(stats.totalFlops / 1e6).toFixed(1)} MFLOPs; ${Math.round(trained.seconds)} s`,
  );
}

async function measureLatency(m: ZooModel): Promise<void> {
  const card = readJsonFile(cardPath(m)) as ZooCard;
  card.latency = await zooLatency(join(outDir, card.file));
  await writeFile(cardPath(m), JSON.stringify(card, null, 2) + "\n");
  console.log(
    `${join(outDir, card.file)}: ${card.latency.medianMs.toFixed(3)} ms (p10–p90 ${card.latency.p10Ms.toFixed(3)}–${card.latency.p90Ms.toFixed(3)})`,
  );
}

const t0 = performance.now();
const child = args.includes(CHILD_FLAG);
if (!args.includes("--latency-only")) {
  await mkdir(outDir, { recursive: true });
  if (!child)
    for (const kind of new Set(selected.map((m) => zooDatasetOf(m.task).kind)))
      await ensureDataset(dataRoot, zooDatasetOf(kind === "gem" ? "lanenet" : "heading"));
  const todo: string[] = [];
  for (const m of selected)
    if (!isTrained(m)) todo.push(m.name);
    else console.log(`${join(outDir, `${m.name}.onnx`)}: trained (delete it and its card to retrain)`);
  await runPerModel(todo, {
    parallel,
    args: ["--data", dataRoot, "--out", outDir],
    inProcess: (name) => trainOne(ZOO.find((m) => m.name === name)!),
  });
}
if (!child && !args.includes("--no-latency")) for (const m of selected) if (existsSync(cardPath(m))) await measureLatency(m);
console.log(`done in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
