import { InlineBackend } from "../qos/InlineBackend.ts";
import type { QosBackend } from "../qos/QosBackend.ts";
import { ThreadPoolBackend } from "../qos/ThreadPoolBackend.ts";
import { RedisQueueBackend } from "./RedisQueueBackend.ts";
import type { RunProgressListener } from "./RunProgress.ts";

/**
 * The backend a command asked for: the queue at `queue` (`redis://host:port[/db]`)
 * when one is given, else `workers` local threads (0: the calling thread).
 */
export function qosBackend(options: { queue?: string; workers: number; onQueueProgress?: RunProgressListener }): QosBackend {
  if (options.queue !== undefined) return new RedisQueueBackend({ url: options.queue, onProgress: options.onQueueProgress });
  return options.workers === 0 ? new InlineBackend() : new ThreadPoolBackend(options.workers);
}
