import { Option } from "commander";
import { parseRedisUrl, qosBackend, type QosBackend, type RunProgress } from "../../pipelines/index.ts";

/**
 * `--queue redis://host:port[/db]` (or `APPROXCALIPER_QUEUE`), shared by run,
 * calibrate and optimize: the seeds run on `approxcaliper worker` processes
 * through that Redis instead of local threads.
 */
export function queueOption(): Option {
  return new Option("--queue <url>", "run the seeds on `approxcaliper worker` processes through this Redis (redis://host:port[/db]) instead of local threads").env(
    "APPROXCALIPER_QUEUE",
  );
}

/** Checks `--queue` before anything runs or is written; the URL, or undefined without the flag. */
export function queueFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  parseRedisUrl(value, "--queue");
  return value;
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
