import { afterAll, describe, expect, it } from "vitest";
import { CropFollowQoS, GemQoS, runPipeline } from "../../pipelines/index.ts";

describe("ApplicationQos", () => {
  const crop = new CropFollowQoS({ world: "cropfield-straight", workers: 0 });
  const gem = new GemQoS({ world: "gem-track", workers: 0 });
  afterAll(async () => {
    await crop.close();
    await gem.close();
  });

  it("passes with no injected error and fails with a large heading bias", async () => {
    const ok = await crop.evaluate({}, { seeds: [1, 2] });
    expect(ok.pass).toBe(true);
    expect(ok.detail.perSeed.map((s) => s.collisions)).toEqual([0, 0]);
    const bad = await crop.evaluate({ heading: { kind: "gaussian", bias: [0.5], std: [0] } }, { seeds: [1] });
    expect(bad.pass).toBe(false);
    expect(bad.hash).not.toBe(ok.hash);
  });

  it("maps lane-mask injections onto the GEM's pixel error model", async () => {
    const mild = await gem.evaluate(
      { lanenet: { kind: "lane-mask", dropRate: 0.2, falsePositiveRate: 0, shiftPx: 0, shiftStdPx: 0 } },
      { seeds: [1] },
    );
    expect(mild.pass).toBe(true);
    const shifted = await gem.evaluate(
      { lanenet: { kind: "lane-mask", dropRate: 0, falsePositiveRate: 0, shiftPx: 60, shiftStdPx: 0 } },
      { seeds: [1] },
    );
    expect(shifted.detail.perSeed[0].crossTrackRms).toBeGreaterThan(mild.detail.perSeed[0].crossTrackRms);
  });

  it("applies injected errors to masks drawn like a LaneNet's labels when `injected` says so, and checks those settings at once", async () => {
    // Seed 4 of random-track has worn paint: at 5 FPS on the zoo LaneNets' 64×32 grid, masks of the paint still
    // there (drawn at 256×128 and max-pooled, as the training labels) lose the lane; the exact masks do not.
    const run = { fps: 5, maskSize: { width: 64, height: 32 } };
    const exact = new GemQoS({ world: "random-track", workers: 0, run });
    const labels = new GemQoS({ world: "random-track", workers: 0, run, injected: { laneMask: "rendered", maskPool: 4 } });
    try {
      expect(labels.id).not.toBe(exact.id);
      expect((await exact.evaluate({}, { seeds: [4] })).pass).toBe(true);
      expect((await labels.evaluate({}, { seeds: [4] })).pass).toBe(false);
    } finally {
      await exact.close();
      await labels.close();
    }
    expect(() => new GemQoS({ world: "gem-track", workers: 0, injected: { maskPool: 4 } })).toThrow(
      /injected\.maskPool: pooling needs laneMask "rendered"/,
    );
    expect(() => new GemQoS({ world: "gem-track", workers: 0, injected: { laneMask: "drawn" } })).toThrow(/injected\.laneMask/);
  });

  it("names unknown NNs, wrong error kinds and missing models", async () => {
    await expect(crop.evaluate({ lanenet: { kind: "gaussian", bias: [0], std: [0] } }, { seeds: [1] })).rejects.toThrow(
      /injection\.lanenet: unknown NN; this cropfollow application has heading, distance/,
    );
    await expect(
      crop.evaluate({ heading: { kind: "lane-mask", dropRate: 0, falsePositiveRate: 0, shiftPx: 0, shiftStdPx: 0 } }, { seeds: [1] }),
    ).rejects.toThrow(/injection\.heading: expected a gaussian error/);
    await expect(crop.evaluateModels({ heading: "models/heading.onnx" }, { seeds: [1] })).rejects.toThrow(/models\.distance: missing/);
  });

  it("records a network's errors along closed-loop runs (one run per seed, after the first second)", async () => {
    const short = new CropFollowQoS({ world: "cropfield-straight", workers: 0, run: { maxTime: 4, fps: 10 } });
    try {
      const models = { heading: "models/heading.onnx", distance: "models/distance.onnx" };
      const s = await short.errorSequences(models, "distance", [0, 1]);
      expect(s.frameInterval).toBeCloseTo(0.1, 12);
      expect(s.runs).toHaveLength(2);
      for (const r of s.runs) expect(r).toBeGreaterThanOrEqual(25);
      expect(s.predictions.length).toBe(s.runs[0] + s.runs[1]);
      // Truth is the distance ratio near the row centre; the shipped network is within its L1 of it.
      let l1 = 0;
      for (let i = 0; i < s.labels.length; i++) {
        expect(s.labels[i]).toBeGreaterThan(0.2);
        expect(s.labels[i]).toBeLessThan(0.8);
        l1 += Math.abs(s.predictions[i] - s.labels[i]) / s.labels.length;
      }
      expect(l1).toBeLessThan(0.15);
      expect(await short.errorSequences(models, "distance", [0, 1])).toEqual(s);
      await expect(gem.errorSequences({ lanenet: "models/lanenet.onnx" }, "lanenet", [0])).rejects.toThrow(/perceptionField/);
    } finally {
      await short.close();
    }
  });

  it("ends a run's error sequence at its first collision", async () => {
    // A drawn field where the shipped networks steer into a row after about 18 s (a row gap misleads the heading network).
    const run = { maxTime: 20, fps: 10 };
    const qos = new CropFollowQoS({ world: "random-cropfield", workers: 0, run });
    try {
      const models = { heading: "models/heading.onnx", distance: "models/distance.onnx" };
      const perception = { kind: "onnx" as const, model: models.heading, distanceModel: models.distance };
      const full = await runPipeline({ pipeline: "cropfollow", world: "random-cropfield", ...run, perception }, 1053);
      const hit = full.summary.collisionEvents[0]?.time;
      expect(hit).toBeGreaterThan(5);
      expect(hit).toBeLessThan(19);
      const s = await qos.errorSequences(models, "heading", [1053]);
      // Frames from 1 s to the collision (± the frame at each end), not to maxTime.
      expect(Math.abs(s.runs[0] - (hit! - 1) * run.fps)).toBeLessThanOrEqual(2);
    } finally {
      await qos.close();
    }
  });
});
