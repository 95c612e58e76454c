import { mkdtemp, rm } from "node:fs/promises";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildLevels,
  models,
  remeasureLevelLatency,
  type BuildLevelsOptions,
  type LevelRecipe,
  type LevelSet,
} from "../../../optimizer/index.ts";
import { rampDataset } from "../train/fixtures/syntheticData.ts";

const dirs: string[] = [];
/** A fresh level root, removed after the suite. */
async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "ac-levels-"));
  dirs.push(root);
  return root;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const recipe: LevelRecipe = {
  method: "prune",
  steps: 3,
  fraction: 0.3,
  epochs: 1,
  trainSamples: 24,
  batchSize: 8,
  lr: 2e-3,
  warmupSteps: 1,
  minLr: 1e-5,
  weightDecay: 0,
  loss: { name: "mse" },
  augment: { horizontalFlip: 0, colorJitter: { brightness: 0, contrast: 0, saturation: 0 } },
  seed: 3,
};

async function options(root: string, over: Partial<BuildLevelsOptions> = {}): Promise<BuildLevelsOptions> {
  return {
    model: models.darkNetStyle({ height: 32, width: 48, widthMultiplier: 0.25, headChannels: 16, outputs: 2, seed: 5 }),
    train: rampDataset(32, 1, 32, 48),
    validation: rampDataset(8, 2, 32, 48),
    recipe,
    evaluate: async (nn, ds) => {
      const p = (await nn.run(ds.inputs, ds.size)) as Float32Array;
      let s = 0;
      for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - ds.targets[i]);
      return { l1: s / p.length };
    },
    primary: { name: "l1", mode: "min" },
    root,
    ...over,
  };
}

describe("buildLevels", () => {
  it("saves every level with metrics, FLOPs and latency under a content-hash directory, and a second call trains nothing", async () => {
    const root = await tempRoot();
    const first = await buildLevels(await options(root));
    expect(first.trainedLevels).toBe(3);
    expect(first.dir).toBe(join(root, first.set.key));
    const set = JSON.parse(readFileSync(join(first.dir, "levels.json"), "utf8")) as LevelSet;
    expect(set.complete).toBe(true);
    expect(set.levels.map((l) => l.level)).toEqual([0, 1, 2, 3]);
    for (const [k, l] of set.levels.entries()) {
      expect(existsSync(join(first.dir, l.file))).toBe(true);
      expect(l.latency.medianMs).toBeGreaterThan(0);
      expect(Number.isFinite(l.metrics.l1)).toBe(true);
      if (k > 0) expect(l.flops).toBeLessThan(set.levels[k - 1].flops);
    }
    expect(set.levels[3].flopsRatio).toBeLessThan(0.5);

    const reused: number[] = [];
    const second = await buildLevels(await options(root, { onLevel: (r, wasReused) => wasReused && reused.push(r.level) }));
    expect(second.trainedLevels).toBe(0);
    expect(second.dir).toBe(first.dir);
    expect(reused).toEqual([0, 1, 2, 3]);

    writeFileSync(join(first.dir, "levels.json"), "{ cut short");
    await expect(buildLevels(await options(root))).rejects.toThrow(`${join(first.dir, "levels.json")}: not valid JSON`);
  });

  it("keys the directory by model, data and recipe", async () => {
    const root = await tempRoot();
    const base = await buildLevels(await options(root, { recipe: { ...recipe, steps: 1, epochs: 0 } }));
    const otherRecipe = await buildLevels(await options(root, { recipe: { ...recipe, steps: 1, epochs: 0, fraction: 0.4 } }));
    const otherData = await buildLevels(await options(root, { recipe: { ...recipe, steps: 1, epochs: 0 }, train: rampDataset(32, 9, 32, 48) }));
    expect(new Set([base.dir, otherRecipe.dir, otherData.dir]).size).toBe(3);
  });

  it("minChannels is part of the recipe: it guards thin groups and keys its own directory", async () => {
    const root = await tempRoot();
    const r = { ...recipe, steps: 3, fraction: 0.6, epochs: 0 };
    const plain = await buildLevels(await options(root, { recipe: r }));
    const guarded = await buildLevels(await options(root, { recipe: { ...r, minChannels: 4 } }));
    expect(guarded.dir).not.toBe(plain.dir);
    expect(guarded.set.levels[3].flops).toBeGreaterThan(plain.set.levels[3].flops);
    await expect(buildLevels(await options(root, { recipe: { ...r, minChannels: 0 } }))).rejects.toThrow(/recipe\.minChannels/);
  });

  it("roundTo is part of the recipe: it changes the kept counts and keys its own directory", async () => {
    const root = await tempRoot();
    const r = { ...recipe, steps: 1, fraction: 0.3, epochs: 0 };
    const plain = await buildLevels(await options(root, { recipe: r }));
    const rounded = await buildLevels(await options(root, { recipe: { ...r, roundTo: 3 } }));
    expect(rounded.dir).not.toBe(plain.dir);
    expect(rounded.set.levels[1].flops).not.toBe(plain.set.levels[1].flops);
    await expect(buildLevels(await options(root, { recipe: { ...r, roundTo: 1.5 } }))).rejects.toThrow(/recipe\.roundTo/);
  });

  it("importance is part of the recipe: it picks other channels and keys its own directory", async () => {
    const root = await tempRoot();
    const r = { ...recipe, steps: 1, fraction: 0.3, epochs: 0 };
    const plain = await buildLevels(await options(root, { recipe: r }));
    const balanced = await buildLevels(await options(root, { recipe: { ...r, importance: "l1-balanced" } }));
    expect(balanced.dir).not.toBe(plain.dir);
    expect(balanced.set.levels[1].flops).toBe(plain.set.levels[1].flops);
    expect(balanced.set.levels[1].metrics.l1).not.toBe(plain.set.levels[1].metrics.l1);
    const named = await buildLevels(await options(root, { recipe: { ...r, importance: "l1" } }));
    expect(named.dir).toBe(plain.dir);
    expect(named.trainedLevels).toBe(0);
    const unknown = { ...r, importance: "l2" } as unknown as LevelRecipe;
    await expect(buildLevels(await options(root, { recipe: unknown }))).rejects.toThrow(/recipe\.importance.*l1, l1-balanced/);
  });

  it("keepBestEpoch keeps the retraining epoch with the best validation loss and keys its own directory", async () => {
    const root = await tempRoot();
    // A rate high enough that a later epoch is worse than an earlier one, so "best" and "last" differ.
    const r = { ...recipe, steps: 1, epochs: 4, lr: 0.03, warmupSteps: 0 };
    const mse = async (nn: Parameters<BuildLevelsOptions["evaluate"]>[0], ds: Parameters<BuildLevelsOptions["evaluate"]>[1]) => {
      const p = (await nn.run(ds.inputs, ds.size)) as Float32Array;
      let s = 0;
      for (let i = 0; i < p.length; i++) s += (p[i] - ds.targets[i]) ** 2;
      return { mse: s / p.length };
    };
    const losses: number[] = [];
    const best = await buildLevels(
      await options(root, {
        recipe: { ...r, keepBestEpoch: true },
        evaluate: mse,
        primary: { name: "mse", mode: "min" },
        onEpoch: (_level, _epoch, _train, validation) => losses.push(validation!),
      }),
    );
    expect(losses).toHaveLength(4);
    const lowest = Math.min(...losses);
    expect(losses.indexOf(lowest)).toBeLessThan(3);
    expect(best.set.levels[1].metrics.mse).toBeCloseTo(lowest, 5);

    const last = await buildLevels(await options(root, { recipe: r, evaluate: mse, primary: { name: "mse", mode: "min" } }));
    expect(last.dir).not.toBe(best.dir);
    expect(last.set.levels[1].metrics.mse).toBeCloseTo(losses[3], 5);
  });

  it("remeasures every level's latency against level 0 and keeps everything else", async () => {
    const root = await tempRoot();
    const built = await buildLevels(await options(root, { recipe: { ...recipe, steps: 2, epochs: 0 } }));
    const seen: number[] = [];
    const { set } = await remeasureLevelLatency(built.dir, {
      measure: { warmup: 1, rounds: 3, runsPerBlock: 2 },
      onLevel: (l) => seen.push(l.level),
    });
    expect(seen).toEqual([0, 1, 2]);
    const onDisk = JSON.parse(readFileSync(join(built.dir, "levels.json"), "utf8")) as LevelSet;
    expect(onDisk).toEqual(set);
    const strip = (s: LevelSet) => s.levels.map(({ latency: _, ...rest }) => rest);
    expect(strip(onDisk)).toEqual(strip(built.set));
    for (const l of onDisk.levels) expect(l.latency.medianMs).toBeGreaterThan(0);
    expect(onDisk.levels.map((l) => l.latency)).not.toEqual(built.set.levels.map((l) => l.latency));
  });

  it("a killed run resumes at the first missing level and ends where an uninterrupted run does", async () => {
    const root = await tempRoot();
    const full = await buildLevels(await options(root));
    const root2 = await tempRoot();
    await expect(
      buildLevels(
        await options(root2, {
          onLevel: (r) => {
            if (r.level === 1) throw new Error("killed");
          },
        }),
      ),
    ).rejects.toThrow("killed");
    const resumed = await buildLevels(await options(root2));
    expect(resumed.trainedLevels).toBe(2);
    expect(readFileSync(join(resumed.dir, "level-03.onnx"))).toEqual(readFileSync(join(full.dir, "level-03.onnx")));
  });
});
