import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { GraphBuilder, loadDataset, writeModel } from "../../../optimizer/index.ts";
import { onnxSourceTensor } from "./perceptionProbe.ts";
import {
  createSimulation,
  datasetCamera,
  datasetWorld,
  DATASET_NORMALIZATION,
  generateDataset,
  sampleWorldSeed,
  type DatasetManifest,
} from "../../../sim/index.ts";

const tmp = mkdtempSync(join(tmpdir(), "ac-datasets-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const small = (kind: "cropfollow" | "gem", out: string, seed = 5, workers = 0) =>
  generateDataset({ kind, out, worlds: 4, perWorld: 3, seed, width: kind === "gem" ? 48 : 32, height: 24, workers });

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const split of ["train", "val", "test"]) {
    for (const sub of ["", "images", "masks"]) {
      let names: string[];
      try {
        names = readdirSync(join(dir, split, sub));
      } catch {
        continue;
      }
      for (const n of names) if (n.endsWith(".png") || n.endsWith(".json")) out.set(join(split, sub, n), readFileSync(join(dir, split, sub, n)));
    }
  }
  out.set("dataset.json", readFileSync(join(dir, "dataset.json")));
  return out;
}

describe("simulator datasets", () => {
  it("are deterministic per seed (in-process and on workers) and change with the seed", async () => {
    await small("cropfollow", join(tmp, "a"));
    await small("cropfollow", join(tmp, "b"), 5, 2);
    await small("cropfollow", join(tmp, "c"), 6);
    const a = filesOf(join(tmp, "a"));
    const b = filesOf(join(tmp, "b"));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [k, v] of a) expect(v.equals(b.get(k)!), k).toBe(true);
    const la = readFileSync(join(tmp, "a", "train", "labels.json"), "utf8");
    const lc = readFileSync(join(tmp, "c", "train", "labels.json"), "utf8");
    expect(la).not.toEqual(lc);
  });

  it("split by world: no world in two splits, every file named for a world of its split (sampleWorldSeed reads it), counts in dataset.json", async () => {
    const dir = join(tmp, "a");
    const m = JSON.parse(readFileSync(join(dir, "dataset.json"), "utf8")) as DatasetManifest;
    const all = [...m.splits.train.worldSeeds, ...m.splits.val.worldSeeds, ...m.splits.test.worldSeeds];
    expect(new Set(all).size).toBe(4);
    expect(m.splits.val.worldSeeds.length).toBeGreaterThanOrEqual(1);
    expect(m.splits.test.worldSeeds.length).toBeGreaterThanOrEqual(1);
    for (const split of ["train", "val", "test"] as const) {
      const labels = JSON.parse(readFileSync(join(dir, split, "labels.json"), "utf8"));
      expect(labels.items.length).toBe(m.splits[split].count);
      expect(m.splits[split].count).toBe(3 * m.splits[split].worldSeeds.length);
      for (const item of labels.items) expect(m.splits[split].worldSeeds).toContain(sampleWorldSeed(item.file));
    }
    expect(sampleWorldSeed("images/frame-0001.png")).toBeUndefined();
  });

  it("CropFollow labels are the ground truth (φ, d) of the rendered pose, with names and flip map", async () => {
    const dir = join(tmp, "a");
    const labels = JSON.parse(readFileSync(join(dir, "train", "labels.json"), "utf8"));
    expect(labels.labels).toEqual({ names: ["heading", "distance"], flip: { scale: [-1, -1], offset: [0, 1] } });
    expect(labels.inputs).toMatchObject({
      width: 32,
      height: 24,
      channels: 3,
      mean: [...DATASET_NORMALIZATION.mean],
      std: [...DATASET_NORMALIZATION.std],
    });
    for (const item of labels.items) {
      const [phi, d] = item.label;
      expect(Math.abs(phi)).toBeLessThanOrEqual(0.5 + 1e-9);
      // Lateral offsets stay within ±0.19 m of the centre of a ~0.76 m lane.
      expect(d).toBeGreaterThan(0.2);
      expect(d).toBeLessThan(0.8);
    }
    const ds = await loadDataset(join(dir, "train"), join(dir, "train", "labels.json"), { cache: false });
    expect(ds.inputShape).toEqual([3, 24, 32]);
    expect(ds.labelFlip).toEqual({ scale: [-1, -1], offset: [0, 1] });
  });

  it("GEM masks mark lane pixels and load as 0/1 targets", async () => {
    const dir = join(tmp, "gem");
    await small("gem", dir);
    const ds = await loadDataset(join(dir, "train"), join(dir, "train", "labels.json"), { cache: false });
    expect(ds.targetKind).toBe("mask");
    expect(ds.targetShape).toEqual([1, 24, 48]);
    let lit = 0;
    for (const v of ds.targets) lit += v;
    const frac = lit / ds.targets.length;
    expect(frac).toBeGreaterThan(0.002);
    expect(frac).toBeLessThan(0.2);
  });

  it("a dataset frame is the simulation's camera frame at the same pose", () => {
    for (const kind of ["cropfollow", "gem"] as const) {
      const world = datasetWorld(kind, 123);
      const sim = createSimulation({ world, seed: 1, camera: { width: 40, height: 30, hfovDeg: 90 } });
      const fromSim = sim.renderCamera();
      const fromDataset = datasetCamera(world, kind, 40, 30).render(sim.pose(), new Uint8Array(40 * 30 * 3));
      expect(Buffer.from(fromDataset).equals(Buffer.from(fromSim)), kind).toBe(true);
      if (kind === "gem") {
        const m1 = sim.renderLaneMask!();
        const m2 = datasetCamera(world, kind, 40, 30).renderLaneMask(sim.pose(), new Uint8Array(40 * 30));
        expect(Buffer.from(m2).equals(Buffer.from(m1))).toBe(true);
      }
      sim.dispose();
    }
  });

  it("dataset-path preprocessing (PNG → loadDataset) equals the ONNX perception source's tensor, bit for bit", async () => {
    const dir = join(tmp, "pre");
    const sim = createSimulation({ world: "cropfield-curved", seed: 3, camera: { width: 64, height: 48, hfovDeg: 90 } });
    sim.setCommand({ v: 0.5, omega: 0.1 });
    sim.advance(1);
    const rgb = sim.renderCamera();
    sim.dispose();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "images"), { recursive: true });
    await sharp(Buffer.from(rgb), { raw: { width: 64, height: 48, channels: 3 } })
      .png()
      .toFile(join(dir, "images", "f.png"));
    const norm = { mean: [...DATASET_NORMALIZATION.mean], std: [...DATASET_NORMALIZATION.std] };
    writeFileSync(
      join(dir, "labels.json"),
      JSON.stringify({ inputs: { width: 64, height: 48, channels: 3, ...norm }, items: [{ file: "images/f.png", label: [0, 0.5] }] }),
    );
    const ds = await loadDataset(dir, join(dir, "labels.json"), { cache: false });
    // An identity network shows exactly the tensor the ONNX source feeds its model.
    const b = new GraphBuilder({ name: "identity" });
    b.output(b.identity(b.input("image", ["N", 3, 48, 64])));
    await writeModel(b.build(), join(dir, "identity.onnx"));
    const fed = await onnxSourceTensor(join(dir, "identity.onnx"), rgb);
    expect(fed.length).toBe(ds.inputs.length);
    let differing = 0;
    for (let i = 0; i < fed.length; i++) if (fed[i] !== ds.inputs[i]) differing++;
    expect(differing).toBe(0);
  });
});
