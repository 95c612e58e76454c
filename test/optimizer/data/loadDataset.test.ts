import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, Random } from "../../../common/index.ts";
import { colorJitter, horizontalFlip, loadDataset, TensorDataset } from "../../../optimizer/data/index.ts";

let dir: string;

/** A 8×6 RGB image whose pixel (x, y) is (10·x, 20·y, seed). */
async function writeImage(path: string, seed: number): Promise<void> {
  const w = 8;
  const h = 6;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      px[(y * w + x) * 3] = 10 * x;
      px[(y * w + x) * 3 + 1] = 20 * y;
      px[(y * w + x) * 3 + 2] = seed;
    }
  }
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(path);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ac-data-"));
  await mkdir(join(dir, "images"));
  await mkdir(join(dir, "masks"));
  for (let i = 0; i < 3; i++) await writeImage(join(dir, "images", `${i}.png`), 50 * i);
  // Mask: left half on.
  const m = Buffer.alloc(8 * 6);
  for (let y = 0; y < 6; y++) for (let x = 0; x < 4; x++) m[y * 8 + x] = 255;
  await sharp(m, { raw: { width: 8, height: 6, channels: 1 } })
    .png()
    .toFile(join(dir, "masks", "0.png"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLabels(name: string, json: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(json));
  return path;
}

describe("loadDataset", () => {
  it("decodes, normalizes to NCHW and caches", async () => {
    const labels = await writeLabels("labels.json", {
      inputs: { width: 8, height: 6, channels: 3, mean: [0.5, 0, 0], std: [0.5, 1, 1] },
      labels: { names: ["heading", "distance"], flip: { scale: [-1, -1], offset: [0, 1] } },
      items: [0, 1, 2].map((i) => ({ file: `images/${i}.png`, label: [0.1 * i, 0.5] })),
    });
    const ds = await loadDataset(dir, labels);
    expect(ds.size).toBe(3);
    expect(ds.inputShape).toEqual([3, 6, 8]);
    expect(ds.targetShape).toEqual([2]);
    const plane = 48;
    const at = (n: number, c: number, y: number, x: number) => ds.inputs[n * 3 * plane + c * plane + y * 8 + x];
    expect(at(0, 0, 2, 3)).toBeCloseTo((30 / 255 - 0.5) / 0.5, 5);
    expect(at(0, 1, 2, 3)).toBeCloseTo(40 / 255, 5);
    expect(at(2, 2, 0, 0)).toBeCloseTo(100 / 255, 5);
    expect(Array.from(ds.targets)).toEqual([0, 0.5, 0.1, 0.5, 0.2, 0.5].map(Math.fround));
    const cacheFiles = await readdir(join(dir, ".cache"));
    expect(cacheFiles.filter((f) => f.endsWith(".bin"))).toHaveLength(1);
    const again = await loadDataset(dir, labels);
    expect(again.inputs).toEqual(ds.inputs);
    expect(again.targets).toEqual(ds.targets);
    // The second load read the cache: a value planted in the cache file comes back.
    const cacheFile = join(
      dir,
      ".cache",
      cacheFiles.find((f) => f.endsWith(".bin"))!,
    );
    const bytes = await readFile(cacheFile);
    bytes.writeFloatLE(42, 16);
    await writeFile(cacheFile, bytes);
    expect((await loadDataset(dir, labels)).inputs[0]).toBe(42);
    expect((await loadDataset(dir, labels, { cache: false })).inputs[0]).toBe(ds.inputs[0]);
  });

  it("resizes images and loads 0/1 masks", async () => {
    const labels = await writeLabels("masks.json", {
      inputs: { width: 4, height: 3 },
      masks: { width: 4, height: 3 },
      items: [{ file: "images/0.png", mask: "masks/0.png" }],
    });
    const ds = await loadDataset(dir, labels, { cache: false });
    expect(ds.inputShape).toEqual([3, 3, 4]);
    expect(ds.targetKind).toBe("mask");
    expect(Array.from(ds.targets)).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it("names the file and field of bad labels", async () => {
    const bad = await writeLabels("bad.json", {
      inputs: { width: 8, height: 6 },
      items: [
        { file: "images/0.png", label: [1, 2] },
        { file: "images/1.png", label: [1, "x"] },
      ],
    });
    await expect(loadDataset(dir, bad)).rejects.toThrow(/bad\.json: items\[1\]\.label\[1\]/);
    const ragged = await writeLabels("ragged.json", {
      inputs: { width: 8, height: 6 },
      items: [
        { file: "images/0.png", label: [1, 2] },
        { file: "images/1.png", label: [1] },
      ],
    });
    await expect(loadDataset(dir, ragged)).rejects.toThrow(/ragged\.json: items\[1\]\.label/);
    const missing = await writeLabels("missing.json", { inputs: { width: 8, height: 6 }, items: [{ file: "images/9.png", label: [1] }] });
    await expect(loadDataset(dir, missing)).rejects.toThrow(/missing\.json: items\[0\]\.file: file not found/);
    const noWidth = await writeLabels("nowidth.json", { inputs: { height: 6 }, items: [{ file: "images/0.png", label: [1] }] });
    await expect(loadDataset(dir, noWidth)).rejects.toThrow(InputError);
    await expect(loadDataset(dir, noWidth)).rejects.toThrow(/nowidth\.json: inputs\.width/);
    await expect(loadDataset(dir, join(dir, "absent.json"))).rejects.toThrow(/absent\.json: cannot read it \(ENOENT\)/);
    const cut = join(dir, "cut.json");
    await writeFile(cut, '{"inputs": {"width": 8');
    await expect(loadDataset(dir, cut)).rejects.toThrow(/cut\.json: not valid JSON/);
  });
});

describe("augmentations", () => {
  const make = () =>
    new TensorDataset({
      inputs: Float32Array.from({ length: 2 * 3 * 2 * 3 }, (_, i) => (i % 7) / 7),
      targets: Float32Array.from([0.3, 0.2, -0.1, 0.9]),
      inputShape: [3, 2, 3],
      targetShape: [2],
      labelFlip: { scale: [-1, -1], offset: [0, 1] },
    });

  it("horizontal flip mirrors images and maps labels; twice is identity", () => {
    const ds = make();
    const batch = { inputs: ds.inputs.slice(), targets: ds.targets.slice(), size: 2, dataset: ds };
    horizontalFlip({ p: 1 }).apply(batch, new Random(1));
    expect(batch.inputs[0]).toBe(ds.inputs[2]);
    expect(batch.inputs[2]).toBe(ds.inputs[0]);
    expect(batch.targets[0]).toBeCloseTo(-0.3, 6);
    expect(batch.targets[1]).toBeCloseTo(0.8, 6);
    horizontalFlip({ p: 1 }).apply(batch, new Random(1));
    expect(Array.from(batch.inputs)).toEqual(Array.from(ds.inputs));
    for (let i = 0; i < 4; i++) expect(batch.targets[i]).toBeCloseTo(ds.targets[i], 6);
  });

  it("flipping vector labels without a mapping is an error", () => {
    const ds = new TensorDataset({ inputs: new Float32Array(6), targets: new Float32Array(1), inputShape: [1, 2, 3], targetShape: [1] });
    expect(() => horizontalFlip({ p: 1 }).apply({ inputs: ds.inputs, targets: ds.targets, size: 1, dataset: ds }, new Random(1))).toThrow(
      /labelFlip/,
    );
  });

  it("color jitter is seeded, changes pixels and keeps them in range", () => {
    const ds = make();
    const run = (seed: number) => {
      const batch = { inputs: ds.inputs.slice(), targets: ds.targets.slice(), size: 2, dataset: ds };
      colorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5 }).apply(batch, new Random(seed));
      return batch.inputs;
    };
    const a = run(3);
    expect(a).toEqual(run(3));
    expect(a).not.toEqual(ds.inputs);
    expect(a).not.toEqual(run(4));
    for (const v of a) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe("TensorDataset", () => {
  it("splits into disjoint train/validation subsets, seeded", () => {
    const n = 10;
    const ds = new TensorDataset({
      inputs: Float32Array.from({ length: n * 2 }, (_, i) => Math.floor(i / 2)),
      targets: Float32Array.from({ length: n }, (_, i) => i),
      inputShape: [1, 1, 2],
      targetShape: [1],
    });
    const [train, val] = ds.split(0.3, new Random(4));
    expect([train.size, val.size]).toEqual([7, 3]);
    const ids = [...train.targets, ...val.targets].sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let k = 0; k < val.size; k++) expect(val.inputs[2 * k]).toBe(val.targets[k]);
    expect(ds.split(0.3, new Random(4))[1].targets).toEqual(val.targets);
    expect(() => ds.split(1, new Random(1))).toThrow(/fraction/);
    expect(
      () => new TensorDataset({ inputs: new Float32Array(5), targets: new Float32Array(1), inputShape: [1, 1, 2], targetShape: [1] }),
    ).toThrow(/inputs/);
  });
});
