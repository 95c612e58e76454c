import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { InlineBackend, InputError, QosEvaluator, parseRunConfig, runPipeline, type RunConfigInput } from "../../index.ts";

const qos = new QosEvaluator({ workers: 2 });
afterAll(() => qos.close());

const TEN = Array.from({ length: 10 }, (_, i) => i + 1);

describe("oracle perception", () => {
  for (const [pipeline, world] of [
    ["cropfollow", "cropfield-straight"],
    ["cropfollow", "cropfield-curved"],
    ["gem", "gem-track"],
  ] as const) {
    it(`${pipeline} completes ${world} without a collision on 10 seeds`, async () => {
      const r = await qos.evaluate({ pipeline, world, perception: { kind: "oracle" } }, { collisions: 0 }, TEN);
      expect(r.perSeed.map((s) => [s.seed, s.collisions, s.completed])).toEqual(TEN.map((s) => [s, 0, true]));
      expect(r.pass).toBe(true);
      for (const s of r.perSeed) expect(s.distanceMeters).toBeGreaterThan(pipeline === "gem" ? 150 : 25);
    });
  }
});

describe("injected perception error", () => {
  // 20 s of a 30 m row: enough for errors to show, short enough for a test.
  const injected = (heading: { bias?: number; std?: number }): RunConfigInput => ({
    pipeline: "cropfollow",
    world: "cropfield-straight",
    perception: { kind: "injected", heading, distance: { std: 0.02 } },
    maxTime: 20,
  });
  const seeds = [1, 2, 3];
  const meanCollisions = async (cfg: RunConfigInput) => {
    const r = await qos.evaluate(cfg, { collisions: 0, completed: false }, seeds);
    return r.collisions / seeds.length;
  };

  it("collisions grow with the heading noise standard deviation", async () => {
    const levels = [0.05, 0.3, 0.6];
    const means = [];
    for (const std of levels) means.push(await meanCollisions(injected({ std })));
    expect(means[0]).toBe(0);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
    expect(means[2]).toBeGreaterThan(means[0]);
  });

  it("collisions grow with the distance-ratio noise and bias", async () => {
    const at = (distance: { bias?: number; std?: number }): RunConfigInput => ({
      pipeline: "cropfollow",
      world: "cropfield-straight",
      perception: { kind: "injected", distance },
      maxTime: 20,
    });
    for (const levels of [
      [{ std: 0.02 }, { std: 0.2 }, { std: 0.35 }],
      [{ bias: 0 }, { bias: 0.2 }, { bias: 0.35 }],
    ]) {
      const means = [];
      for (const d of levels) means.push(await meanCollisions(at(d)));
      expect(means[0]).toBe(0);
      for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
      expect(means[2]).toBeGreaterThan(0);
    }
  });

  it("collisions grow with the heading bias, and a large bias always collides", async () => {
    const levels = [0, 0.25, 0.6];
    const means = [];
    for (const bias of levels) means.push(await meanCollisions(injected({ bias })));
    expect(means[0]).toBe(0);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]);
    const large = await qos.evaluate(injected({ bias: 0.6 }), { collisions: 0, completed: false }, seeds);
    expect(large.pass).toBe(false);
    for (const s of large.perSeed) expect(s.collisions).toBeGreaterThan(0);
  });

  it("keeps the robot in its lane with noisy, late perception (fusion between frames)", async () => {
    const r = await qos.evaluate(
      {
        pipeline: "cropfollow",
        world: "cropfield-curved",
        perception: { kind: "injected", heading: { std: 0.05 }, distance: { std: 0.05, nu: 4 } },
        fps: 6,
        latency: 0.25,
      },
      { collisions: 0 },
      [1, 2],
    );
    expect(r.pass).toBe(true);
  });

  it("answers a repeated configuration from its cache under the same hash", async () => {
    const cfg = injected({ std: 0.05 });
    const a = await qos.evaluate(cfg, { collisions: 0, completed: false }, seeds);
    const b = await qos.evaluate(
      { ...cfg, perception: { kind: "injected", distance: { std: 0.02 }, heading: { std: 0.05 } } },
      { collisions: 0, completed: false },
      seeds,
    );
    expect(b.cached).toBe(true);
    expect(b.hash).toBe(a.hash);
    expect(QosEvaluator.hash(cfg, [1, 2, 4])).not.toBe(a.hash);
  });

  it("runs concurrent requests for one configuration once", async () => {
    const cfg = { ...injected({ std: 0.06 }), maxTime: 2 };
    const backend = new InlineBackend();
    const local = new QosEvaluator({ backend });
    const runOne = vi.spyOn(backend, "run");
    const [a, b] = await Promise.all([
      local.evaluate(cfg, { collisions: 0, completed: false }, [1, 2]),
      local.evaluate(cfg, { collisions: 0, completed: false }, [1, 2]),
    ]);
    expect(b.perSeed).toEqual(a.perSeed);
    expect(runOne).toHaveBeenCalledTimes(2);
    expect((await local.evaluate(cfg, { collisions: 0, completed: false }, [1, 2])).cached).toBe(true);
    expect(runOne).toHaveBeenCalledTimes(2);
  });

  it("persists its cache to a file that a new evaluator resumes from", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "qos-cache-")), "cache.jsonl");
    const cfg = injected({ std: 0.07 });
    const first = new QosEvaluator({ workers: 0, cacheFile: file });
    const a = await first.evaluate({ ...cfg, maxTime: 3 }, { collisions: 0, completed: false }, [1]);
    expect(a.cached).toBe(false);
    const second = new QosEvaluator({ workers: 0, cacheFile: file });
    expect(second.cacheSize).toBe(1);
    const b = await second.evaluate({ ...cfg, maxTime: 3 }, { collisions: 0, completed: false }, [1]);
    expect(b.cached).toBe(true);
    expect(b.perSeed[0].trajectoryHash).toBe(a.perSeed[0].trajectoryHash);
  });
});

describe("determinism", () => {
  it("gives the same trajectory, bit for bit, for the same seed (CropFollow, injected noise)", async () => {
    const cfg: RunConfigInput = {
      pipeline: "cropfollow",
      world: "cropfield-curved",
      perception: { kind: "injected", heading: { std: 0.1, nu: 3 }, distance: { std: 0.05 } },
      latency: 0.1,
      maxTime: 8,
    };
    const a = await runPipeline(cfg, 7);
    const b = await runPipeline(cfg, 7);
    const c = await runPipeline(cfg, 8);
    expect(a.trajectory.length).toBeGreaterThan(100);
    expect(b.summary.trajectoryHash).toBe(a.summary.trajectoryHash);
    expect(c.summary.trajectoryHash).not.toBe(a.summary.trajectoryHash);
  });

  it("gives the same trajectory for the same seed (GEM, injected mask errors), in-process and on a worker", async () => {
    const cfg: RunConfigInput = {
      pipeline: "gem",
      world: "gem-track",
      perception: { kind: "injected", lane: { dropRate: 0.3, falsePositiveRate: 0.002, shiftStdPx: 1 } },
      maxTime: 8,
    };
    const a = await runPipeline(cfg, 3);
    const b = await qos.evaluate(cfg, { collisions: 0, completed: false }, [3]);
    expect(b.perSeed[0].trajectoryHash).toBe(a.summary.trajectoryHash);
  });
});

describe("ONNX perception", () => {
  const fixture = (name: string) => new URL(`../fixtures/onnx/${name}`, import.meta.url).pathname;
  // CropFollow networks must output (heading, distance): the shipped ones, not the generic ONNX fixtures.
  const shipped = (name: string) => new URL(`../../models/${name}`, import.meta.url).pathname;

  it("runs a CNN on rendered frames inside the CropFollow loop, deterministically", async () => {
    const cfg: RunConfigInput = {
      pipeline: "cropfollow",
      world: "cropfield-straight",
      perception: { kind: "onnx", model: shipped("cropfollow.onnx") },
      maxTime: 1,
    };
    const a = await runPipeline(cfg, 1);
    const b = await runPipeline(cfg, 1);
    expect(a.summary.trajectoryHash).toBe(b.summary.trajectoryHash);
    // The network's outputs reach the estimator.
    let moved = 0;
    for (let i = 0; i < a.trajectory.length; i++) moved += Math.abs(a.trajectory.get(i, "estHeading"));
    expect(moved).toBeGreaterThan(0);
  });

  it("runs separate heading and distance networks on the same frame", async () => {
    const two = await runPipeline(
      {
        pipeline: "cropfollow",
        world: "cropfield-straight",
        perception: { kind: "onnx", model: shipped("heading.onnx"), distanceModel: shipped("distance.onnx") },
        maxTime: 1,
      },
      1,
    );
    const one = await runPipeline(
      {
        pipeline: "cropfollow",
        world: "cropfield-straight",
        perception: { kind: "onnx", model: shipped("heading.onnx"), distanceModel: shipped("heading.onnx") },
        maxTime: 1,
      },
      1,
    );
    expect(two.trajectory.length).toBe(one.trajectory.length);
    // Same heading network, a different distance network: the estimates differ.
    expect(two.summary.trajectoryHash).not.toBe(one.summary.trajectoryHash);
  });

  it("runs a segmentation CNN as the GEM lane detector", async () => {
    const r = await runPipeline(
      { pipeline: "gem", world: "gem-track", perception: { kind: "onnx", model: fixture("unet_nearest_op13.onnx") }, maxTime: 1 },
      1,
    );
    expect(r.trajectory.length).toBeGreaterThan(10);
  });

  it("rejects a missing model file, in-process and from a worker", async () => {
    const cfg: RunConfigInput = { pipeline: "cropfollow", world: "cropfield-straight", perception: { kind: "onnx", model: "/nope/model.onnx" } };
    await expect(runPipeline(cfg, 1)).rejects.toThrow(/nope\/model.onnx: no such ONNX model file/);
    const fromWorker = await qos.evaluate(cfg, { collisions: 0 }, [1]).catch((e: unknown) => e);
    expect(fromWorker).toBeInstanceOf(InputError);
    expect((fromWorker as InputError).message).toBe("/nope/model.onnx: no such ONNX model file");
  });
});

describe("bad configurations", () => {
  it("rejects a negative std and unknown perception kinds", () => {
    expect(() =>
      parseRunConfig({ pipeline: "cropfollow", world: "cropfield-straight", perception: { kind: "injected", heading: { std: -0.1 } } }),
    ).toThrow(/run.perception.heading.std: expected a number ≥ 0/);
    expect(() => parseRunConfig({ pipeline: "cropfollow", world: "cropfield-straight", perception: { kind: "psychic" } })).toThrow(InputError);
    expect(() => parseRunConfig({ pipeline: "gem", world: "gem-track", perception: { kind: "injected", lane: { dropRate: 1.5 } } })).toThrow(
      /lane.dropRate: expected a number in \[0, 1\]/,
    );
  });

  it("rejects unknown applications, unknown worlds, worlds of the wrong kind and bad goals before running", async () => {
    await expect(qos.evaluate({ pipeline: "tractor", world: "gem-track", perception: { kind: "oracle" } })).rejects.toThrow(
      /run.pipeline: unknown application "tractor"; expected one of cropfollow, gem/,
    );
    await expect(runPipeline({ pipeline: "tractor", world: "gem-track", perception: { kind: "oracle" } }, 1)).rejects.toThrow(
      /unknown application "tractor"/,
    );
    await expect(qos.evaluate({ pipeline: "cropfollow", world: "moon", perception: { kind: "oracle" } })).rejects.toThrow(
      /moon: no such world preset/,
    );
    await expect(qos.evaluate({ pipeline: "gem", world: "cropfield-straight", perception: { kind: "oracle" } })).rejects.toThrow(
      /gem pipeline needs a track world/,
    );
    await expect(
      qos.evaluate({ pipeline: "cropfollow", world: "cropfield-straight", perception: { kind: "oracle" } }, { collisions: -1 }),
    ).rejects.toThrow(/goal.collisions/);
  });
});
