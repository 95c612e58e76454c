import type { Redis } from "ioredis";
import type { RedisAddress } from "./redisUrl.ts";

/**
 * The health of every connection a submitter or worker opens to one Redis.
 * ioredis reconnects forever by default and BullMQ's calls then wait forever;
 * instead, once Redis has been unreachable for `startTimeoutMs` before it
 * ever answered, or for `timeoutMs` after having worked, every connection stops retrying and {@link failed} rejects
 * with one clear message naming the URL, so callers can stop with what they
 * have (evaluations already checkpointed stay checkpointed).
 */
export class RedisLink {
  /** Rejects once Redis is given up on; never resolves. */
  readonly failed: Promise<never>;
  private reject!: (e: Error) => void;
  private downSince: number | undefined;
  private everReady = false;
  private gaveUp = false;
  private lastError = "no answer";

  constructor(
    readonly address: RedisAddress,
    private readonly timeoutMs: number,
    private readonly startTimeoutMs = Math.min(timeoutMs, 5000),
  ) {
    this.failed = new Promise<never>((_, reject) => (this.reject = reject));
    // Callers race against it; a link that fails while nobody waits is not an unhandled rejection.
    this.failed.catch(() => undefined);
  }

  /** True once Redis has been given up on. */
  get down(): boolean {
    return this.gaveUp;
  }

  /** ioredis/BullMQ connection options sharing this link's retry policy. */
  options(): { url: string; retryStrategy: (times: number) => number | null; maxRetriesPerRequest: null } {
    return { url: this.address.url, retryStrategy: (times) => this.retry(times), maxRetriesPerRequest: null };
  }

  /** A plain client (for files and checks) whose `ready` events tell the link Redis is back. */
  async client(): Promise<Redis> {
    // Loaded on first use, like BullMQ: commands that never touch a queue do not pay for it at start.
    const { Redis } = await import("ioredis");
    const { url, ...options } = this.options();
    const redis = new Redis(url, options);
    redis.on("ready", () => {
      this.everReady = true;
      this.downSince = undefined;
    });
    redis.on("error", (e: Error) => this.noteError(e));
    return redis;
  }

  /** Records a connection error (every connection's `error` event goes here: unlistened, it would crash the process). */
  noteError(e: Error): void {
    this.lastError = e.message || String(e);
  }

  /** The error {@link failed} rejects with. */
  error(): Error {
    return new Error(
      this.everReady
        ? `lost the queue's Redis at ${this.address.shown} (${this.lastError}; no answer for ${this.timeoutMs / 1000} s)`
        : `cannot reach the queue's Redis at ${this.address.shown} (${this.lastError})`,
    );
  }

  private retry(times: number): number | null {
    if (this.gaveUp) return null;
    const now = Date.now();
    this.downSince ??= now;
    if (now - this.downSince >= (this.everReady ? this.timeoutMs : this.startTimeoutMs)) {
      this.gaveUp = true;
      this.reject(this.error());
      return null;
    }
    return Math.min(100 * times, 1000);
  }
}
