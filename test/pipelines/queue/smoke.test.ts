import { afterAll, beforeAll, expect, it } from "vitest";
import { QosEvaluator, RedisQueueBackend, startQueueWorker, type QueueWorkerHandle } from "../../../pipelines/index.ts";
import { startRedis, type RedisServer } from "../../fixtures/redisServer.ts";

let redis: RedisServer;
let worker: QueueWorkerHandle;
beforeAll(async () => {
  redis = await startRedis();
  worker = await startQueueWorker({ url: redis.url, concurrency: 2, log: (l) => console.log(l) });
});
afterAll(async () => {
  await worker?.close();
  await redis?.stop();
});

it("smoke", async () => {
  const cfg = { pipeline: "cropfollow" as const, world: "cropfield-straight", perception: { kind: "injected" as const, heading: { std: 0.05 } } };
  const local = new QosEvaluator({ workers: 2 });
  const queued = new QosEvaluator({ backend: new RedisQueueBackend({ url: redis.url, onProgress: (p) => console.log(JSON.stringify(p)) }) });
  const t0 = performance.now();
  const a = await local.evaluate(cfg, { collisions: 0 }, [0, 1, 2]);
  const t1 = performance.now();
  const b = await queued.evaluate(cfg, { collisions: 0 }, [0, 1, 2]);
  const t2 = performance.now();
  console.log(t1 - t0, t2 - t1);
  expect(b.perSeed).toEqual(a.perSeed);
  await local.close();
  await queued.close();
}, 60_000);
