import type { Option } from "commander";
import { parseRedisUrl, qosBackend, type QosBackend, type RunProgress } from "../../pipelines/index.ts";
import { option } from "../options/index.ts";

/**
 * `--queue redis://host:port[/db]` (or `APPROXCALIPER_QUEUE`), shared by run,
 * calibrate and optimize: the seeds run on `approxcaliper worker` processes
 * through that Redis instead of local threads. Checked when parsed, so a
 * malformed URL stops the command before it writes anything.
 */
export function queueOption(
  description = "run the seeds on `approxcaliper worker` processes through this Redis: redis://host:port[/db]",
): Option {
  return option("--queue <url>", description, (text) => {
    parseRedisUrl(text, "--queue");
    return text;
  }).env("APPROXCALIPER_QUEUE");
}

/** The latest queue counts, for a progress bar's status; `onChange` redraws it. */
export class QueueStatus {
  private latest: RunProgress | undefined;
  onChange: (() => void) | undefined;

  /** Feeds the backend's progress in. */
  readonly listener = (p: RunProgress): void => {
    this.latest = p;
    this.onChange?.();
  };

  /** Runs finished so far. */
  done(): number {
    return this.latest?.done ?? 0;
  }

  /** ` | runs: 3 queued · 2 running · 17 done`, or "" before the first run (or without a queue). */
  text(): string {
    const p = this.latest;
    return p ? ` | runs: ${p.queued} queued · ${p.running} running · ${p.done} done` : "";
  }
}

/** The backend for `--queue` (with its counts reported to `status`) or `workers` local threads. */
export function backendFor(queue: string | undefined, workers: number, status?: QueueStatus): QosBackend {
  return qosBackend({ queue, workers, onQueueProgress: status?.listener });
}
