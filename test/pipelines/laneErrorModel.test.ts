import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  GemQoS,
  LaneLossChain,
  runPipeline,
  seedPasses,
  LaneMaskErrorSchema,
  Random,
  applyLaneMaskError,
  findErrorDistribution,
  laneMaskErrorStats,
  type ErrorSample,
  type LaneMaskErrorInput,
} from "../../index.ts";

/** A road seen from the cab: two lines converging toward the horizon row, thin far away and wider near. */
function roadMask(h: number, w: number, horizon: number): Uint8Array {
  const m = new Uint8Array(h * w);
  for (let r = horizon; r < h; r++) {
    const t = (r - horizon) / (h - horizon);
    const width = 1 + Math.floor(2 * t);
    for (const centre of [w / 2 - 4 - 22 * t, w / 2 + 4 + 22 * t]) {
      for (let k = 0; k < width; k++) m[r * w + Math.round(centre) + k] = 1;
    }
  }
  return m;
}

/** N frames of the road with the error model applied; losses from the chain, the rest from applyLaneMaskError. */
function degrade(n: number, input: LaneMaskErrorInput, seed: number, h = 32, w = 64, horizon = 8) {
  const err = LaneMaskErrorSchema.parse(input);
  const rng = new Random(seed);
  const lossRng = rng.fork("loss");
  const chain = new LaneLossChain(err.lossRate, err.lossBurstFrames);
  const base = roadMask(h, w, horizon);
  const labels = new Float32Array(n * h * w);
  const preds = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    const mask = base.slice();
    if (chain.next(lossRng)) mask.fill(0);
    else applyLaneMaskError(mask, w, h, horizon, err, rng);
    for (let j = 0; j < h * w; j++) {
      labels[i * h * w + j] = base[j];
      preds[i * h * w + j] = mask[j];
    }
  }
  return laneMaskErrorStats(preds, labels, [h, w], { fromRow: horizon, maxShift: 3 });
}

describe("structured lane-mask errors", () => {
  it("are measured back from masks they degraded, term by term", () => {
    const s = degrade(600, { lossRate: 0.2, lossBurstFrames: 1, farDropRate: 0.6, dropRate: 0.1, blobsPerFrame: 1.5, blobRadiusPx: 2 }, 1);
    expect(s.lossRate).toBeCloseTo(0.2, 1);
    expect(s.farDropRate).toBeGreaterThan(0.5);
    expect(s.farDropRate).toBeLessThan(0.7);
    expect(s.dropRate).toBeGreaterThan(0.05);
    expect(s.dropRate).toBeLessThan(0.15);
    // Blobs touching a lane or each other merge or hide: somewhat fewer are seen than were drawn.
    expect(s.blobsPerFrame).toBeGreaterThan(1.0);
    expect(s.blobsPerFrame).toBeLessThan(1.6);
    expect(s.blobRadiusPx).toBeGreaterThan(1.5);
    expect(s.blobRadiusPx).toBeLessThan(2.6);
    expect(Math.abs(s.shiftPx)).toBeLessThan(0.1);
  });

  it("measure widening without calling it a drop, and a clean mask as no error at all", () => {
    const wide = degrade(100, { dilatePx: 1 }, 2);
    expect(wide.dilatePx).toBeCloseTo(1, 1);
    expect(wide.dropRate).toBeLessThan(0.05);
    const clean = degrade(50, {}, 3);
    expect(clean).toEqual({
      dropRate: 0,
      falsePositiveRate: 0,
      shiftPx: 0,
      shiftStdPx: 0,
      lossRate: 0,
      farDropRate: 0,
      dilatePx: 0,
      blobsPerFrame: 0,
      blobRadiusPx: 0,
    });
  });

  it("lose frames in episodes of the configured mean length at the configured share", () => {
    for (const [rate, burst] of [
      [0.3, 10],
      [0.5, 1],
      [1, 10],
    ] as const) {
      const chain = new LaneLossChain(rate, burst);
      const rng = new Random(7);
      let lost = 0;
      let episodes = 0;
      let prev = false;
      const n = 50_000;
      for (let i = 0; i < n; i++) {
        const l = chain.next(rng);
        if (l) lost++;
        if (l && !prev) episodes++;
        prev = l;
      }
      expect(lost / n).toBeCloseTo(rate, 1);
      if (rate < 1) expect(lost / episodes).toBeCloseTo(Math.max(burst, 1 / (1 - rate)), 0);
    }
    expect(new LaneLossChain(0, 10).next(new Random(1))).toBe(false);
  });

  it("leave the pixel model's masks unchanged when every structured term is 0", () => {
    const base = roadMask(32, 64, 8);
    const pixel = { dropRate: 0.3, falsePositiveRate: 0.01, shiftPx: 1, shiftStdPx: 0.5 };
    const a = applyLaneMaskError(base.slice(), 64, 32, 8, LaneMaskErrorSchema.parse(pixel), new Random(5));
    const b = applyLaneMaskError(
      base.slice(),
      64,
      32,
      8,
      LaneMaskErrorSchema.parse({ ...pixel, lossRate: 0, farDropRate: 0, dilatePx: 0, blobsPerFrame: 0 }),
      new Random(5),
    );
    expect(b).toEqual(a);
  });
});

describe("lane-mask error family fitted to real pruned LaneNets", () => {
  // test/fixtures/laneLevels: the shipped LaneNet pruned in 8 levels with learning-rate rewinding
  // (approxcaliper levels --steps 8 --fraction 0.25 --epochs 2), its masks on 80 held-out frames
  // (written by scripts/fixtures/exportLaneLevelMasks.ts; meta.json says from what).
  const dir = join(import.meta.dirname, "..", "fixtures", "laneLevels");
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as { shape: [number, number, number]; levels: { level: number }[] };
  const [frames, h, w] = meta.shape;
  const pixels = frames * h * w;
  const bytes = readFileSync(join(dir, "masks.bin"));
  const unpack = (k: number): Float32Array => {
    const out = new Float32Array(pixels);
    const offset = k * Math.ceil(pixels / 8);
    for (let i = 0; i < pixels; i++) out[i] = (bytes[offset + (i >> 3)] >> (7 - (i & 7))) & 1;
    return out;
  };
  const labels = unpack(0);
  const score = (p: Float32Array) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < pixels; i++) {
      const l = labels[i] > 0.5;
      const q = p[i] > 0.5;
      if (l && q) tp++;
      else if (q) fp++;
      else if (l) fn++;
    }
    return { iou: tp / Math.max(1, tp + fp + fn), recall: tp / Math.max(1, tp + fn) };
  };

  it("reproduces every level's IoU and recall within 0.03 when injected into the true masks", () => {
    const predictions = meta.levels.map((_, k) => unpack(k + 1));
    const real = predictions.map(score);
    // The cliff of real pruning: a little blur and drop, then the lane lost outright.
    expect(real[1].iou).toBeGreaterThan(0.9);
    expect(real[real.length - 1].iou).toBe(0);
    const samples: ErrorSample[] = predictions.map((p, k) => ({
      nn: "lanenet",
      level: real[k].iou,
      predictions: p,
      labels,
      kind: "lane-mask",
      shape: [h, w],
    }));
    const dist = findErrorDistribution.fromSamples(samples, { degree: 2 });
    for (let k = 0; k < predictions.length; k++) {
      const inj = dist.injectionFor("lanenet", real[k].iou);
      if (inj.kind !== "lane-mask") throw new Error("expected a lane-mask injection");
      const { kind: _kind, ...params } = inj;
      // Dataset frames are independent poses: losses independent too.
      const err = LaneMaskErrorSchema.parse({ ...params, lossBurstFrames: 1 });
      const rng = new Random(k);
      const chain = new LaneLossChain(err.lossRate, err.lossBurstFrames);
      const injected = new Float32Array(pixels);
      for (let f = 0; f < frames; f++) {
        const mask = new Uint8Array(h * w);
        for (let i = 0; i < h * w; i++) mask[i] = labels[f * h * w + i];
        if (chain.next(rng)) mask.fill(0);
        else applyLaneMaskError(mask, w, h, 0, err, rng);
        injected.set(mask, f * h * w);
      }
      const s = score(injected);
      expect(Math.abs(s.iou - real[k].iou), `level ${k} IoU`).toBeLessThanOrEqual(0.03);
      expect(Math.abs(s.recall - real[k].recall), `level ${k} recall`).toBeLessThanOrEqual(0.03);
    }
  });
});

describe("the GEM's default goal", () => {
  it("fails a LaneNet that has lost the lane, and one that drifts out of its lane without hitting a cone", async () => {
    const qos = new GemQoS({ world: "gem-track", workers: 1 });
    try {
      expect(qos.target).toEqual({ collisions: 0, crossTrackMax: 1.0 });
      const lane = (p: Record<string, number>) => ({
        lanenet: { kind: "lane-mask" as const, dropRate: 0, falsePositiveRate: 0, shiftPx: 0, shiftStdPx: 0, ...p },
      });
      expect((await qos.evaluate(lane({}), { seeds: [1] })).pass).toBe(true);
      expect((await qos.evaluate(lane({ lossRate: 1 }), { seeds: [1] })).pass).toBe(false);
    } finally {
      await qos.close();
    }
    // Half the frames lost in one-second episodes: on this seed no cone is hit and the route is completed,
    // metres off the lane centre — a pass for a collisions-only goal, a fail for the default one.
    const { summary } = await runPipeline(
      { pipeline: "gem", world: "gem-track", perception: { kind: "injected", lane: { lossRate: 0.5, lossBurstFrames: 20 } } },
      1,
    );
    expect(summary.collisions).toBe(0);
    expect(summary.completed).toBe(true);
    expect(summary.crossTrackMax).toBeGreaterThan(2);
    expect(seedPasses(summary, { collisions: 0 })).toBe(true);
    expect(seedPasses(summary, qos.target)).toBe(false);
  });
});
