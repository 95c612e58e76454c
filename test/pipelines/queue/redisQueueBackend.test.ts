import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseRedisUrl,
  QosEvaluator,
  RedisQueueBackend,
  startQueueWorker,
  type QueueWorkerHandle,
  type RunConfigInput,
  type RunProgress,
} from "../../../pipelines/index.ts";
import { ContentStore } from "../../../pipelines/queue/ContentStore.ts";
import { startRedis, type RedisServer } from "../../fixtures/redisServer.ts";

const MODELS = join(import.meta.dirname, "..", "..", "..", "models");

describe("parseRedisUrl", () => {
  it("accepts redis://host:port[/db] and hides the password in what it shows", () => {
    expect(parseRedisUrl("redis://10.0.0.5:6390/2", "--queue").shown).toBe("redis://10.0.0.5:6390/2");
    expect(parseRedisUrl("redis://:s3cret@host:6379/0", "--queue").shown).toBe("redis://:***@host:6379/0");
  });

  it("names the flag and the URL when it is not one", () => {
    expect(() => parseRedisUrl("localhost:6379", "--queue")).toThrow('--queue: "localhost:6379" is not a redis:// URL');
    expect(() => parseRedisUrl("redis://host:6379/zero", "--queue")).toThrow(
      '--queue: "redis://host:6379/zero": the database "zero" is not a number',
    );
    expect(() => parseRedisUrl("not a url", "queue")).toThrow('queue: "not a url" is not a URL');
  });
});

describe("the queue backend against a real redis-server", () => {
  let redis: RedisServer;
  let dir: string;
  let worker: QueueWorkerHandle;
  let cache: string;
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), "queue-backend-"));
    cache = join(dir, "worker-cache");
    worker = await startQueueWorker({ url: redis.url, concurrency: 2, cacheDir: cache });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores files by SHA-256 and hands workers a verified local copy", async () => {
    const client = new Redis(redis.url);
    try {
      const store = new ContentStore(client);
      const model = join(MODELS, "heading.onnx");
      const bytes = readFileSync(model);
      const sha = createHash("sha256").update(bytes).digest("hex");
      const ref = await store.put(model, "run.perception.model");
      expect(ref).toBe(`sha256:${sha}.onnx`);
      const local = await store.get(ref, join(dir, "store-cache"));
      expect(local).toBe(join(dir, "store-cache", `${sha}.onnx`));
      expect(readFileSync(local).equals(bytes)).toBe(true);

      await client.set(`approxcaliper:file:${"0".repeat(64)}`, "tampered");
      await expect(store.get(`sha256:${"0".repeat(64)}.onnx`, join(dir, "store-cache"))).rejects.toThrow(/hashes to [0-9a-f]{64}; refusing it/);
      await expect(store.get(`sha256:${"1".repeat(64)}.onnx`, join(dir, "store-cache"))).rejects.toThrow(/is not in Redis/);
      await expect(store.put(join(dir, "missing.onnx"), "run.perception.model")).rejects.toThrow(
        /^run\.perception\.model: cannot read .*missing\.onnx \(ENOENT\)/,
      );
    } finally {
      client.disconnect();
    }
  });

  it("runs ONNX models and a world file that only the submitter has, bit for bit as the local pool (trajectories included)", async () => {
    const world = join(dir, "short-row.json");
    writeFileSync(
      world,
      JSON.stringify({
        kind: "cropfield",
        name: "short-row",
        rows: { count: 4, spacing: 0.76, length: 5 },
        plants: { spacing: 0.2, height: 1.3, heightJitter: 0.2 },
        startOffset: 0.5,
      }),
    );
    const config: RunConfigInput = {
      pipeline: "cropfollow",
      world,
      perception: { kind: "onnx", model: join(MODELS, "heading.onnx"), distanceModel: join(MODELS, "distance.onnx") },
    };
    const progress: RunProgress[] = [];
    const local = new QosEvaluator({ workers: 1, trajectories: true });
    const queued = new QosEvaluator({
      backend: new RedisQueueBackend({ url: redis.url, onProgress: (p) => progress.push(p) }),
      trajectories: true,
    });
    try {
      const a = await local.evaluate(config, { collisions: 0 }, [3, 4]);
      const b = await queued.evaluate(config, { collisions: 0 }, [3, 4]);
      expect(b.perSeed[0].trajectory).toBeInstanceOf(Float64Array);
      expect(b.perSeed[0].trajectory!.length).toBeGreaterThan(100);
      expect(b.perSeed).toEqual(a.perSeed);
      expect(b.hash).toBe(a.hash);
    } finally {
      await local.close();
      await queued.close();
    }
    // The worker fetched the models and the world file once, by content.
    expect(readdirSync(cache).sort()).toEqual(
      [join(MODELS, "heading.onnx"), join(MODELS, "distance.onnx"), world]
        .map((f) => createHash("sha256").update(readFileSync(f)).digest("hex") + (f.endsWith(".json") ? ".json" : ".onnx"))
        .sort(),
    );
    expect(progress[0]).toEqual({ queued: 1, running: 0, done: 0 });
    expect(progress.at(-1)).toEqual({ queued: 0, running: 0, done: 2 });
    expect(progress.some((p) => p.running > 0)).toBe(true);
  }, 180_000);

  it("passes an error found by the worker (a model file that is no ONNX) back with the same message", async () => {
    const queued = new QosEvaluator({ backend: new RedisQueueBackend({ url: redis.url }) });
    const local = new QosEvaluator({ workers: 0 });
    const garbage = join(dir, "garbage.onnx");
    writeFileSync(garbage, "not an ONNX model");
    const config: RunConfigInput = { pipeline: "cropfollow", world: "cropfield-straight", perception: { kind: "onnx", model: garbage } };
    try {
      const expected = await local.evaluate(config, { collisions: 0 }, [1]).catch((e: Error) => e);
      expect(expected).toBeInstanceOf(Error);
      await expect(queued.evaluate(config, { collisions: 0 }, [1])).rejects.toThrow((expected as Error).message);
    } finally {
      await queued.close();
      await local.close();
    }
  }, 120_000);
});
