import { InputError } from "../../common/index.ts";
import type { RunConfig } from "../RunConfig.ts";
import type { RunSummary } from "./RunSummary.ts";

/**
 * One unit of QoS work: a validated configuration run on one seed. Plain
 * data (structured-cloneable and JSON-safe), so any backend can ship it to a
 * worker thread, process or machine.
 */
export interface QosTask {
  config: RunConfig;
  /**
   * URL of the module defining the application `config.pipeline` (its spec's `module`), imported by a
   * worker that does not know the application yet (one registered outside the package).
   */
  module?: string;
  seed: number;
  /** Stop the run once it has this many collisions (the verdict is known). */
  stopAfterCollisions?: number;
  /** Return the trajectory with the summary. */
  trajectory?: boolean;
  /** Return the trajectory and the perception log with the summary. */
  recording?: boolean;
}

/**
 * What a worker sends back: a summary, or a user-input error (an
 * `InputError` does not survive a thread or process boundary as a class).
 */
export type QosTaskResult = { summary: RunSummary } | { inputError: { where: string; message: string } };

/**
 * The summary of a task result.
 * @throws InputError rebuilt from a worker's input error.
 */
export function unwrapTaskResult(result: QosTaskResult): RunSummary {
  if ("inputError" in result) {
    const { where, message } = result.inputError;
    throw new InputError(where, message.startsWith(`${where}: `) ? message.slice(where.length + 2) : message);
  }
  return result.summary;
}
