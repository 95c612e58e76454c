/**
 * `npm run bench:queue [-- --json <file>] [--seeds <k>] [--reps <n>] [--pings <n>]`: QoS runs per
 * second through the local worker pool and through the BullMQ queue on a local `redis-server`
 * (started by the bench on a free loopback port, `maxmemory-policy noeviction`, stopped after).
 * Workload: CropFollow on `cropfield-straight` with injected heading/distance errors (no rendering),
 * one batch of `--seeds` K runs (default 24) evaluated at once; every batch uses seeds not run
 * before, so nothing comes from a cache (neither Redis's finished jobs nor the threads' built
 * worlds). Each configuration gets one warm-up batch (threads and processes started, code
 * compiled), then `--reps` timed batches (default 5); the median is reported, with min–max.
 *  - local2: QosEvaluator on the local pool, 2 threads;
 *  - redis1 / redis2: the same evaluator on a RedisQueueBackend, with 1 or 2
 *    `approxcaliper worker --concurrency 1` processes;
 *  - overhead: round trip of an empty job (submit → worker → completion seen by the submitter),
 *    `--pings` of them one after another (default 200) with one worker, per job.
 * JSON keys: `queue.seedsPerSecond.local2`, `queue.seedsPerSecond.redis1`,
 * `queue.seedsPerSecond.redis2`, `queue.overheadMsPerJob`.
 * Targets (2 cores): redis2/redis1 ≥ 1.6, redis2 ≥ 0.85 × local2, overhead ≤ 5 ms per job.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { QosEvaluator, RedisQueueBackend, ThreadPoolBackend, type QosBackend, type RunConfigInput } from "../../index.ts";
import { CLI_FROM_SOURCES } from "../../test/fixtures/cliFromSources.ts";
import { startRedis } from "../../test/fixtures/redisServer.ts";
import { intFlag, jsonFile } from "./benchArgs.ts";
import { spreadOf, type RunSpread } from "../../common/index.ts";

const SEEDS = intFlag("--seeds", 24);
const REPS = intFlag("--reps", 5);
const PINGS = intFlag("--pings", 200);

const config: RunConfigInput = {
  pipeline: "cropfollow",
  world: "cropfield-straight",
  perception: { kind: "injected", heading: { std: 0.03 }, distance: { std: 0.02 } },
};

/** Fresh seeds for every batch of the whole bench. */
let nextSeed = 1000;
const batch = () => Array.from({ length: SEEDS }, () => nextSeed++);

/** Seeds per second over `REPS` timed batches after one warm-up, median and range. */
async function seedsPerSecond(backend: QosBackend): Promise<RunSpread> {
  const qos = new QosEvaluator({ backend });
  try {
    await qos.evaluate(config, { collisions: 0 }, batch());
    const rates: number[] = [];
    for (let r = 0; r < REPS; r++) {
      const seeds = batch();
      const t0 = performance.now();
      await qos.evaluate(config, { collisions: 0 }, seeds);
      rates.push(seeds.length / ((performance.now() - t0) / 1000));
    }
    return spreadOf(rates);
  } finally {
    await qos.close();
  }
}

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

/** Starts `approxcaliper worker` and resolves once it takes jobs. */
function startWorker(url: string, cacheDir: string): Promise<WorkerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_FROM_SOURCES, "worker", "--queue", url, "--concurrency", "1", "--cache-dir", cacheDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("taking jobs from")) {
        out = "";
        resolve({ child, exited });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`worker exited: ${out}`)));
  });
}

async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
}

const load0 = loadavg()[0];
const local2 = await seedsPerSecond(new ThreadPoolBackend(2));

const redis = await startRedis();
const cache = mkdtempSync(join(tmpdir(), "bench-queue-"));
const results: Record<string, RunSpread> = { local2 };
let overhead: RunSpread;
try {
  const workers = [await startWorker(redis.url, cache)];
  const pinger = new RedisQueueBackend({ url: redis.url, timeoutMs: 30_000 });
  await pinger.ping("warm-up");
  const perPing: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < PINGS; i++) await pinger.ping(`${r}-${i}`);
    perPing.push((performance.now() - t0) / PINGS);
  }
  await pinger.close();
  overhead = spreadOf(perPing);
  results.redis1 = await seedsPerSecond(new RedisQueueBackend({ url: redis.url, timeoutMs: 30_000 }));
  workers.push(await startWorker(redis.url, cache));
  results.redis2 = await seedsPerSecond(new RedisQueueBackend({ url: redis.url, timeoutMs: 30_000 }));
  await stopWorkers(workers);
} finally {
  await redis.stop();
  rmSync(cache, { recursive: true, force: true });
}
const load1 = loadavg()[0];

const fmt = (x: RunSpread, d = 1) => `${x.median.toFixed(d)} (${x.min.toFixed(d)}–${x.max.toFixed(d)})`;
console.log(
  `bench:queue — ${SEEDS} CropFollow runs per batch, median of ${REPS} batches (min–max); load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
);
console.log(`  local pool, 2 threads      ${fmt(local2)} seeds/s`);
console.log(`  queue, 1 worker process    ${fmt(results.redis1)} seeds/s`);
console.log(`  queue, 2 worker processes  ${fmt(results.redis2)} seeds/s`);
console.log(`  redis2 / redis1            ${(results.redis2.median / results.redis1.median).toFixed(2)} (target ≥ 1.6)`);
console.log(`  redis2 / local2            ${(results.redis2.median / local2.median).toFixed(2)} (target ≥ 0.85)`);
console.log(`  empty-job round trip       ${fmt(overhead, 2)} ms (target ≤ 5 ms), ${PINGS} in a row`);
if (jsonFile) {
  writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        "queue.seedsPerSecond.local2": local2.median,
        "queue.seedsPerSecond.redis1": results.redis1.median,
        "queue.seedsPerSecond.redis2": results.redis2.median,
        "queue.overheadMsPerJob": overhead.median,
      },
      null,
      2,
    ) + "\n",
  );
}
