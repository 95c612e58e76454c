import type { QosBackend } from "./QosBackend.ts";
import type { QosTask, QosTaskResult } from "./QosTask.ts";
import { unwrapTaskResult } from "./QosTask.ts";
import type { RunSummary } from "./RunSummary.ts";

/** Runs tasks one after another on the calling thread (no worker threads; for debugging and tests). */
export class InlineBackend implements QosBackend {
  private runTask: ((task: QosTask) => Promise<QosTaskResult>) | undefined;
  /** The last queued task: each waits for the one before, so K seeds never hold K simulations at once. */
  private tail: Promise<unknown> = Promise.resolve();

  run(task: QosTask): Promise<RunSummary> {
    const next = this.tail.then(() => this.runOne(task));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async runOne(task: QosTask): Promise<RunSummary> {
    // Loaded on first use: the worker module pulls in the whole simulator.
    this.runTask ??= (await import("./qosWorker.ts")).default;
    return unwrapTaskResult(await this.runTask(task));
  }

  async close(): Promise<void> {}
}
