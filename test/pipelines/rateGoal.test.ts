import { describe, expect, it } from "vitest";
import { InputError, QosEvaluator, Random, runPipeline, SEQUENTIAL_CHUNK, type QosBackend, type QosTask, type RunSummary } from "../../index.ts";

/** A backend whose runs collide with probability `1 − p`, decided by the seed alone (so any order gives the same runs). */
class BernoulliBackend implements QosBackend {
  started = 0;
  constructor(private readonly p: number) {}
  async run(task: QosTask): Promise<RunSummary> {
    this.started++;
    const collide = new Random(`bernoulli/${task.seed}`).next() >= this.p;
    return {
      seed: task.seed,
      collisions: collide ? 1 : 0,
      collisionEvents: [],
      distanceMeters: 30,
      completed: true,
      stopReason: "completed",
      duration: 10,
      crossTrackRms: 0,
      crossTrackMax: 0,
      headingRms: 0,
      trajectoryHash: `t${task.seed}`,
    };
  }
  async close(): Promise<void> {}
}

const CONFIG = { pipeline: "cropfollow", world: "cropfield-straight", perception: { kind: "oracle" } } as const;
const RATE = { collisions: 0, passRate: 0.95, confidence: 0.95 };

describe("rate goals with confidence", () => {
  it("passes a clean configuration after the sequential test's 40 runs, not 59, and says what it rests on", async () => {
    const backend = new BernoulliBackend(1);
    const qos = new QosEvaluator({ backend, firstSeed: 0 });
    const r = await qos.evaluate(CONFIG, RATE);
    expect(r).toMatchObject({ verdict: "pass", pass: true, runs: 40, passedSeeds: 40 });
    expect(r.seeds).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(r.rateLower).toBeGreaterThan(0.92);
    expect(r.rateLower).toBeLessThan(0.95);
    expect(r.rateUpper).toBe(1);
    expect(backend.started).toBe(Math.ceil(40 / SEQUENTIAL_CHUNK) * SEQUENTIAL_CHUNK);
  });

  it("fails a configuration that collides half the time within a few runs", async () => {
    const qos = new QosEvaluator({ backend: new BernoulliBackend(0.5), firstSeed: 0 });
    const r = await qos.evaluate(CONFIG, RATE);
    expect(r.verdict).toBe("fail");
    expect(r.runs).toBeLessThanOrEqual(SEQUENTIAL_CHUNK);
    expect(r.rateUpper).toBeLessThan(0.95);
  });

  it("reports uncertain, never pass, when the seeds run out before a decision", async () => {
    const qos = new QosEvaluator({ backend: new BernoulliBackend(1), firstSeed: 0 });
    const r = await qos.evaluate(CONFIG, RATE, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r).toMatchObject({ verdict: "uncertain", pass: false, runs: 10 });
  });

  it("gives the same verdict from the cache and with other chunk timings (it depends only on seed order)", async () => {
    const backend = new BernoulliBackend(0.93);
    const qos = new QosEvaluator({ backend, firstSeed: 0 });
    const a = await qos.evaluate(CONFIG, RATE);
    const started = backend.started;
    const b = await qos.evaluate(CONFIG, RATE);
    expect(backend.started).toBe(started);
    expect(b.cached).toBe(true);
    expect({ ...b, cached: a.cached }).toEqual(a);
    const fresh = await new QosEvaluator({ backend: new BernoulliBackend(0.93), firstSeed: 0 }).evaluate(CONFIG, RATE);
    expect(fresh.verdict).toBe(a.verdict);
    expect(fresh.runs).toBe(a.runs);
  });

  it("still judges fixed goals on every seed, now with the runs and the interval", async () => {
    const qos = new QosEvaluator({ backend: new BernoulliBackend(1), seeds: 5, firstSeed: 0 });
    const r = await qos.evaluate(CONFIG, { collisions: 0 });
    expect(r).toMatchObject({ verdict: "pass", pass: true, runs: 5, rateUpper: 1 });
    expect(r.rateLower).toBeCloseTo(0.05 ** (1 / 5), 6);
  });

  it("rejects inconsistent goals, naming the field", async () => {
    const qos = new QosEvaluator({ backend: new BernoulliBackend(1) });
    await expect(qos.evaluate(CONFIG, { passRate: 1 })).rejects.toThrow(/goal\.passRate/);
    await expect(qos.evaluate(CONFIG, { confidence: 0.9 })).rejects.toThrow(/goal\.confidence: applies to a rate goal only/);
    await expect(qos.evaluate(CONFIG, { passRate: 0.9, minPassFraction: 0.8 })).rejects.toThrow(InputError);
  });
});

describe("scenario distributions in the loop", () => {
  it("a GEM seed on random-track drives a track of its own; the same seed the same run", async () => {
    const config = { pipeline: "gem", world: "random-track", perception: { kind: "oracle" } } as const;
    const [a, b, a2] = await Promise.all([runPipeline(config, 1), runPipeline(config, 2), runPipeline(config, 1)]);
    expect(a.summary.trajectoryHash).not.toBe(b.summary.trajectoryHash);
    expect(a.summary.distanceMeters).not.toBeCloseTo(b.summary.distanceMeters, 0);
    expect(a2.summary.trajectoryHash).toBe(a.summary.trajectoryHash);
    expect(a.summary.collisions + b.summary.collisions).toBe(0);
  });
});
