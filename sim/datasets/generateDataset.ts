import { availableParallelism } from "node:os";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { check } from "../../common/index.ts";
import { DATASET_HFOV_DEG, DATASET_KINDS, DATASET_NORMALIZATION, type DatasetKind } from "./DatasetKind.ts";
import { DATASET_KIND_SPECS } from "./datasetKindSpecs.ts";
import { writeWorldSamples, type LabelItem, type WorldTask } from "./writeWorldSamples.ts";

/** Options of {@link generateDataset}. */
export interface GenerateDatasetOptions {
  kind: DatasetKind;
  /** Output folder: `train/`, `val/`, `test/` (each `images/`, [`masks/`], `labels.json`) and `dataset.json`. */
  out: string;
  /** Number of randomized worlds (≥ 3: every split gets at least one). */
  worlds: number;
  /** Samples per world. */
  perWorld: number;
  /** Dataset seed: world `i` has world seed `seed·100000 + i`. */
  seed: number;
  /** Frame size (pixels) = the model input size. */
  width: number;
  height: number;
  /** Worker threads; 0 renders in this thread. @default the CPU count */
  workers?: number;
  /** Fractions of the worlds given to validation and test. @default 0.1 each (at least one world each) */
  valFraction?: number;
  testFraction?: number;
  /** Called after each finished world with (worlds done, worlds total). */
  onProgress?: (done: number, total: number) => void;
}

/** The `dataset.json` written next to the splits. */
export interface DatasetManifest {
  generator: "approxcaliper-sim-datasets";
  version: number;
  kind: DatasetKind;
  seed: number;
  perWorld: number;
  width: number;
  height: number;
  hfovDeg: number;
  splits: Record<"train" | "val" | "test", { worldSeeds: number[]; count: number; labels: string }>;
}

const WORKER = fileURLToPath(new URL("./datasetWorker.mjs", import.meta.url));
const SPLITS = ["train", "val", "test"] as const;

/** World seed of world `i` of a dataset seeded `seed`. */
export function datasetWorldSeed(seed: number, i: number): number {
  return seed * 100_000 + i;
}

/**
 * How many of `worlds` worlds {@link generateDataset} gives to each split:
 * validation and test `round(worlds · fraction)` each (at least one), train
 * the rest, in that order of world index.
 */
export function datasetSplitWorlds(worlds: number, valFraction = 0.1, testFraction = 0.1): { train: number; val: number; test: number } {
  const val = Math.max(1, Math.round(worlds * valFraction));
  const test = Math.max(1, Math.round(worlds * testFraction));
  return { train: worlds - val - test, val, test };
}

/**
 * Generates a perception dataset in the simulator: `worlds` randomized
 * worlds (see `randomCropFieldPreset` / `randomTrackPreset`), `perWorld`
 * camera frames each at random poses in the lane, labelled from ground
 * truth. Worlds are split into train/val/test (whole worlds, never shared),
 * rendered in parallel on worker threads (one world per task) and written as
 * PNGs with one `labels.json` per split in the `loadDataset` format —
 * CropFollow labels `[φ (rad), d]` named `["heading", "distance"]` with the
 * horizontal-flip map (φ, d) → (−φ, 1 − d); GEM masks (255 = lane marking);
 * lane-pose labels `[crossTrack (m), headingError (rad)]` 8 m ahead, flip map
 * (e, θ) → (−e, −θ).
 * Inputs are declared at the rendered size with ImageNet normalization,
 * which is exactly the preprocessing of the ONNX perception sources.
 * Output is a pure function of the options (worker count does not matter).
 */
export async function generateDataset(opts: GenerateDatasetOptions): Promise<DatasetManifest> {
  const { kind, out, worlds, perWorld, seed, width, height } = opts;
  check((DATASET_KINDS as readonly string[]).includes(kind), "kind", () => `expected ${DATASET_KINDS.join(" or ")}, got "${kind}"`);
  check(Number.isInteger(worlds) && worlds >= 3 && worlds < 100_000, "worlds", () => `expected an integer in [3, 99999], got ${worlds}`);
  check(
    Number.isInteger(perWorld) && perWorld >= 1 && perWorld <= 100_000,
    "perWorld",
    () => `expected an integer in [1, 100000], got ${perWorld}`,
  );
  check(Number.isInteger(seed) && seed >= 0 && seed <= 1e9, "seed", () => `expected an integer in [0, 1e9], got ${seed}`);
  for (const [k, v] of [
    ["width", width],
    ["height", height],
  ] as const) {
    check(Number.isInteger(v) && v >= 8 && v <= 1024, k, () => `expected an integer in [8, 1024], got ${v}`);
  }
  const workers = opts.workers ?? availableParallelism();
  check(Number.isInteger(workers) && workers >= 0 && workers <= 64, "workers", () => `expected an integer in [0, 64], got ${workers}`);
  const { train: nTrain, val: nVal, test: nTest } = datasetSplitWorlds(worlds, opts.valFraction, opts.testFraction);
  check(nTrain >= 1, "worlds", () => `${worlds} worlds leave none for training after ${nVal} validation and ${nTest} test worlds`);

  const splitOf = (i: number) => (i < nTrain ? "train" : i < nTrain + nVal ? "val" : "test");
  const tasks: (WorldTask & { split: (typeof SPLITS)[number] })[] = [];
  for (let i = 0; i < worlds; i++) {
    const split = splitOf(i);
    tasks.push({ kind, worldSeed: datasetWorldSeed(seed, i), count: perWorld, width, height, splitDir: join(out, split), split });
  }
  for (const s of SPLITS) await mkdir(join(out, s), { recursive: true });

  let done = 0;
  const finish = (items: LabelItem[]) => {
    opts.onProgress?.(++done, worlds);
    return items;
  };
  let results: LabelItem[][];
  if (workers === 0) {
    results = [];
    for (const t of tasks) results.push(finish(await writeWorldSamples(t)));
  } else {
    const pool = new Piscina({ filename: WORKER, minThreads: workers, maxThreads: workers });
    try {
      results = await Promise.all(tasks.map(async ({ split: _s, ...t }) => finish((await pool.run(t)) as LabelItem[])));
    } finally {
      await pool.destroy();
    }
  }

  const manifest: DatasetManifest = {
    generator: "approxcaliper-sim-datasets",
    version: DATASET_KIND_SPECS[kind].version,
    kind,
    seed,
    perWorld,
    width,
    height,
    hfovDeg: DATASET_HFOV_DEG,
    splits: {
      train: { worldSeeds: [], count: 0, labels: "" },
      val: { worldSeeds: [], count: 0, labels: "" },
      test: { worldSeeds: [], count: 0, labels: "" },
    },
  };
  const { target } = DATASET_KIND_SPECS[kind];
  for (const split of SPLITS) {
    const idx = tasks.map((t, i) => (t.split === split ? i : -1)).filter((i) => i >= 0);
    const items = idx.flatMap((i) => results[i]).map(({ world: _w, ...item }) => item);
    const labels = {
      inputs: { width, height, channels: 3, mean: [...DATASET_NORMALIZATION.mean], std: [...DATASET_NORMALIZATION.std], fit: "fill" },
      ...(target.kind === "labels"
        ? { labels: { names: [...target.names], flip: { scale: [...target.flip.scale], offset: [...target.flip.offset] } } }
        : { masks: { width, height, threshold: 128 } }),
      items,
    };
    const labelsPath = join(split, "labels.json");
    await writeFile(join(out, labelsPath), JSON.stringify(labels) + "\n");
    manifest.splits[split] = { worldSeeds: idx.map((i) => tasks[i].worldSeed), count: items.length, labels: labelsPath };
  }
  await writeFile(join(out, "dataset.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
