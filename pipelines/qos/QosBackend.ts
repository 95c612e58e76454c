import type { RunSummary } from "./RunSummary.ts";
import type { QosTask } from "./QosTask.ts";

/**
 * Where a {@link QosEvaluator} runs its tasks: worker threads of this
 * process ({@link ThreadPoolBackend}), the calling thread
 * ({@link InlineBackend}), or anything else that can run a {@link QosTask}
 * and return its summary (e.g. a job queue).
 */
export interface QosBackend {
  /**
   * Runs one task.
   * @throws InputError for a bad configuration (found by whoever runs it).
   */
  run(task: QosTask): Promise<RunSummary>;
  /** Releases threads, connections, … */
  close(): Promise<void>;
}
