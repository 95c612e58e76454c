import type { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { QosBackend } from "../qos/QosBackend.ts";
import { unwrapTaskResult, type QosTask, type QosTaskResult } from "../qos/QosTask.ts";
import type { RunSummary } from "../qos/RunSummary.ts";
import { ContentStore } from "./ContentStore.ts";
import { filesToRefs } from "./jobFiles.ts";
import { decodeResult, jobId, PROJECT_VERSION, QUEUE_NAME, QUEUE_PROTOCOL, type QueueJobData } from "./QueueJob.ts";
import { tolerateClosedConnections } from "./closedConnectionRejections.ts";
import { RedisLink } from "./RedisLink.ts";
import { parseRedisUrl } from "./redisUrl.ts";
import { RunCounter } from "./RunCounter.ts";
import type { RunProgressListener } from "./RunProgress.ts";

/** Options of {@link RedisQueueBackend}. */
export interface RedisQueueOptions {
  /** `redis://host:port[/db]` of the queue's Redis (run it with `maxmemory-policy noeviction`). */
  url: string;
  /** Called when a run is queued, starts on some worker, or finishes. */
  onProgress?: RunProgressListener;
  /** How long Redis may stay unreachable (at start or later) before runs fail with an error naming the URL (ms). @default 5000 */
  timeoutMs?: number;
  /** How long a finished run stays in Redis, where a rerun of the same submission finds it (s). @default 604800 (a week) */
  keepResultsSeconds?: number;
  /** Version stamped on jobs, which workers compare with theirs. @default the installed version; tests set another to see a worker refuse */
  version?: string;
}

interface Connected {
  queue: Queue;
  events: QueueEvents;
  redis: Redis;
  store: ContentStore;
}

/**
 * Runs on `approxcaliper worker` processes anywhere, through a BullMQ queue on
 * Redis. Each run is one job whose id is its content hash (see
 * `jobId`): BullMQ delivers at least once, but a job that runs twice
 * finishes under one id, and the submitter waits for that id once, so a
 * result is never counted twice; a job finished earlier (by a killed
 * submitter, say) is answered from Redis without running again. ONNX models and
 * world files go up to Redis once, by SHA-256 (`ContentStore`).
 *
 * @example
 * const backend = new RedisQueueBackend({ url: "redis://10.0.0.5:6379/0" });
 * const qos = new QosEvaluator({ backend });
 */
export class RedisQueueBackend implements QosBackend {
  /** The queue's URL without its password. */
  readonly description: string;
  private readonly link: RedisLink;
  private readonly counter: RunCounter;
  private readonly version: string;
  private readonly keepSeconds: number;
  private connected: Promise<Connected> | undefined;
  private untolerate: (() => void) | undefined;

  constructor(options: RedisQueueOptions) {
    const address = parseRedisUrl(options.url, "queue");
    this.description = address.shown;
    this.link = new RedisLink(address, options.timeoutMs ?? 5000);
    this.counter = new RunCounter(options.onProgress);
    this.version = options.version ?? PROJECT_VERSION;
    this.keepSeconds = options.keepResultsSeconds ?? 7 * 24 * 3600;
  }

  async run(task: QosTask): Promise<RunSummary> {
    const { queue, events, store } = await this.guard((this.connected ??= this.connect()));
    const { task: shipped, localize } = await this.guard(filesToRefs(task, store));
    const data: QueueJobData = { kind: "run", version: this.version, protocol: QUEUE_PROTOCOL, task: shipped };
    const id = jobId(data);
    this.counter.queued(id);
    try {
      let result: QosTaskResult;
      try {
        result = decodeResult(await this.guard(this.submit(queue, events, id, data)));
      } catch (e) {
        if (e instanceof Error) e.message = localize(e.message);
        throw e;
      }
      if ("inputError" in result)
        result = { inputError: { where: localize(result.inputError.where), message: localize(result.inputError.message) } };
      return unwrapTaskResult(result);
    } finally {
      this.counter.finished(id);
    }
  }

  /**
   * Round trip of an empty job through the queue (a worker must be running):
   * what the queue itself costs per job.
   */
  async ping(tag: string): Promise<void> {
    const { queue, events } = await this.guard((this.connected ??= this.connect()));
    const data: QueueJobData = { kind: "ping", version: this.version, protocol: QUEUE_PROTOCOL };
    await this.guard(this.submit(queue, events, `ping-${tag}`, data, 60));
  }

  async close(): Promise<void> {
    const c = this.connected;
    this.connected = undefined;
    if (!c) return;
    try {
      const { queue, events, redis } = await c.catch(() => ({ queue: undefined, events: undefined, redis: undefined }));
      if (this.link.down) {
        // Nothing to say goodbye to: drop the sockets, without waiting. BullMQ's disconnect waits for the
        // connection's 'end' event, which a connection ioredis already gave up on may never emit; with
        // nothing else pending, Node then ended the submitter with exit code 13 (an unsettled top-level
        // await) before it could report the lost Redis (seen in CI).
        for (const c of [queue, events]) void c?.disconnect().catch(() => undefined);
        redis?.disconnect();
        return;
      }
      await Promise.allSettled([events?.close(), queue?.close()]);
      await redis?.quit().catch(() => redis.disconnect());
    } finally {
      this.untolerate?.();
      this.untolerate = undefined;
    }
  }

  private async connect(): Promise<Connected> {
    // Loaded on first use: commands that never touch a queue do not pay for BullMQ at start.
    const { Queue, QueueEvents } = await import("bullmq");
    this.untolerate ??= tolerateClosedConnections(this.link);
    const connection = this.link.options();
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    // Listen before any await: an 'error' event without a listener is printed (or thrown) by the emitter.
    queue.on("error", (e: Error) => this.link.noteError(e));
    events.on("error", (e: Error) => this.link.noteError(e));
    // Every waiting run adds listeners (its completed/failed events, the queue closing).
    events.setMaxListeners(0);
    queue.setMaxListeners(0);
    events.on("active", ({ jobId }) => this.counter.running(jobId));
    events.on("stalled", ({ jobId }) => this.counter.running(jobId, false));
    const redis = await this.link.client();
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return { queue, events, redis, store: new ContentStore(redis) };
  }

  private async submit(queue: Queue, events: QueueEvents, id: string, data: QueueJobData, keepSeconds = this.keepSeconds): Promise<string> {
    // A failed job (refused by a worker of another version, say) would make the add a no-op: clear it so it runs again.
    const previous = await queue.getJob(id);
    if (previous && (await previous.isFailed())) await previous.remove();
    const job = await queue.add(data.kind, data, {
      jobId: id,
      attempts: 1,
      removeOnComplete: { age: keepSeconds },
      removeOnFail: { age: 3600 },
    });
    try {
      return (await job.waitUntilFinished(events)) as string;
    } catch (e) {
      if (this.link.down) throw this.link.error();
      throw new Error(`queue ${this.description}: job ${id} failed: ${(e as Error).message}`);
    }
  }

  /** `p`, unless Redis is given up on first. */
  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.link.failed]);
  }
}
