import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { Piscina } from "piscina";
import type { QosTaskResult } from "../qos/QosTask.ts";
import { ContentStore, defaultCacheDir } from "./ContentStore.ts";
import { refsToFiles } from "./jobFiles.ts";
import { encodeResult, PROJECT_VERSION, QUEUE_NAME, QUEUE_PROTOCOL, type QueueJobData } from "./QueueJob.ts";
import { RedisLink } from "./RedisLink.ts";
import { parseRedisUrl } from "./redisUrl.ts";

/** The thread entry the local backend runs tasks on: queue jobs run on exactly the same code. */
const QOS_WORKER_FILE = fileURLToPath(new URL("../qos/qosWorker.mjs", import.meta.url));

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** `redis://host:port[/db]`, the same URL the submitters use. */
  url: string;
  /** Jobs run at once, each on its own worker thread (use the cores you give it). @default 1 */
  concurrency?: number;
  /**
   * Lock on a running job (ms), renewed every half of it by the main thread, which the simulation never
   * blocks (it runs on a worker thread). It is also how long a killed worker's job waits before another
   * worker takes it over: keep it above the longest single run so that a busy machine never loses a lock.
   * @default 60000
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (ms). @default half of `lockDurationMs` */
  stalledIntervalMs?: number;
  /** Folder the models and world files are cached in. @default {@link defaultCacheDir} */
  cacheDir?: string;
  /** How long Redis may stay unreachable before the worker stops with an error (ms). @default 60000 */
  timeoutMs?: number;
  /** One line per event (started, job done, job refused, …). @default nothing */
  log?: (line: string) => void;
}

/** A running queue worker. */
export interface QueueWorkerHandle {
  /** Rejects when Redis is given up on (the error names the URL); never resolves. */
  readonly failed: Promise<never>;
  /** Stops taking jobs, lets running ones finish, and closes threads and connections. */
  close(): Promise<void>;
}

/**
 * Takes QoS runs off the queue and simulates each on a worker thread, so the
 * main thread is free to renew job locks; a job whose worker was killed is
 * taken over by another once its lock expires (`lockDurationMs`), up to three
 * times. Jobs stamped with another project version are refused with an
 * error naming both versions.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const address = parseRedisUrl(options.url, "--queue");
  const concurrency = options.concurrency ?? 1;
  const lockDuration = options.lockDurationMs ?? 60_000;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const log = options.log ?? (() => undefined);
  const link = new RedisLink(address, options.timeoutMs ?? 60_000);
  const { Worker, UnrecoverableError } = await import("bullmq");
  const redis: Redis = await link.client();
  const store = new ContentStore(redis);
  const pool = new Piscina({ filename: QOS_WORKER_FILE, minThreads: concurrency, maxThreads: concurrency, idleTimeout: Infinity });
  const me = `worker ${PROJECT_VERSION} on ${hostname()} (pid ${process.pid})`;

  const processor = async (job: Job<QueueJobData>): Promise<string> => {
    const data = job.data;
    if (data.version !== PROJECT_VERSION || data.protocol !== QUEUE_PROTOCOL) {
      const message = `${me} refuses a job from approxcaliper ${data.version} (queue protocol ${data.protocol}, this worker's ${QUEUE_PROTOCOL}): run workers of the submitter's version`;
      log(`job ${job.id}: refused (${data.version})`);
      throw new UnrecoverableError(message);
    }
    if (data.kind === "ping") return "";
    const t0 = performance.now();
    const task = await refsToFiles(data.task, store, cacheDir);
    const result = (await pool.run(task)) as QosTaskResult;
    log(`job ${job.id} seed ${task.seed}: ${"summary" in result ? "done" : "input error"} in ${Math.round(performance.now() - t0)} ms`);
    return encodeResult(result);
  };

  const worker = new Worker<QueueJobData, string>(QUEUE_NAME, processor, {
    connection: link.options(),
    concurrency,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? Math.round(lockDuration / 2),
    maxStalledCount: 3,
    autorun: false,
  });
  worker.on("error", (e: Error) => link.noteError(e));
  worker.on("failed", (job, e) => {
    if (job && !(e instanceof UnrecoverableError)) log(`job ${job.id}: failed: ${e.message}`);
  });
  const closeAll = async (): Promise<void> => {
    if (link.down) {
      await worker.disconnect().catch(() => undefined);
      redis.disconnect();
    } else {
      await worker.close();
      await redis.quit().catch(() => redis.disconnect());
    }
    await pool.destroy();
  };
  try {
    await Promise.race([worker.waitUntilReady(), link.failed]);
  } catch (e) {
    await closeAll();
    throw e;
  }
  // run() resolves when the worker closes; its errors surface through the link or the 'error' event.
  void worker.run().catch((e: Error) => link.noteError(e));
  log(`${me}: taking jobs from ${address.shown} (queue ${QUEUE_NAME}, concurrency ${concurrency}, lock ${lockDuration} ms, cache ${cacheDir})`);
  return { failed: link.failed, close: closeAll };
}
