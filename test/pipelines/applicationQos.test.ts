import { afterAll, describe, expect, it } from "vitest";
import { CropFollowQoS, GemQoS } from "../../pipelines/index.ts";

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

  it("names unknown NNs, wrong error kinds and missing models", async () => {
    await expect(crop.evaluate({ lanenet: { kind: "gaussian", bias: [0], std: [0] } }, { seeds: [1] })).rejects.toThrow(
      /injection\.lanenet: unknown NN; this cropfollow application has heading, distance/,
    );
    await expect(
      crop.evaluate({ heading: { kind: "lane-mask", dropRate: 0, falsePositiveRate: 0, shiftPx: 0, shiftStdPx: 0 } }, { seeds: [1] }),
    ).rejects.toThrow(/injection\.heading: expected a gaussian error/);
    await expect(crop.evaluateModels({ heading: "models/heading.onnx" }, { seeds: [1] })).rejects.toThrow(/models\.distance: missing/);
  });
});
