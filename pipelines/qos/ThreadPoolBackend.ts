import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { check } from "../../common/index.ts";
import type { QosBackend } from "./QosBackend.ts";
import { unwrapTaskResult, type QosTask, type QosTaskResult } from "./QosTask.ts";
import type { RunSummary } from "./RunSummary.ts";

const WORKER = fileURLToPath(new URL("./qosWorker.mjs", import.meta.url));

/**
 * Runs tasks on worker threads of this process. One single-thread pool per
 * worker, and each seed always goes to the same one (seed mod workers): a
 * worker's cache of built worlds then always hits, where a shared pool would
 * hand a seed to whichever thread is free and rebuild its world there
 * (~80 ms, as long as a whole CropFollow run). Threads start on first use.
 */
export class ThreadPoolBackend implements QosBackend {
  private pools: Piscina[] | undefined;

  constructor(readonly workers: number) {
    check(Number.isInteger(workers) && workers >= 1 && workers <= 256, "workers", () => `expected an integer in [1, 256], got ${workers}`);
  }

  async run(task: QosTask): Promise<RunSummary> {
    this.pools ??= Array.from(
      { length: this.workers },
      () => new Piscina({ filename: WORKER, minThreads: 1, maxThreads: 1, idleTimeout: 60_000 }),
    );
    return unwrapTaskResult((await this.pools[task.seed % this.workers].run(task)) as QosTaskResult);
  }

  async close(): Promise<void> {
    const pools = this.pools;
    this.pools = undefined;
    if (pools) await Promise.all(pools.map((p) => p.destroy()));
  }
}
