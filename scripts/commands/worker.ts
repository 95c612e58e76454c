import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import { startQueueWorker } from "../../pipelines/index.ts";

interface WorkerCliOptions {
  queue: string;
  concurrency: string;
  lockDuration: string;
  cacheDir?: string;
  quiet?: boolean;
}

/**
 * `approxcaliper worker --queue redis://host:port[/db] [--concurrency n]`:
 * takes QoS runs submitted with `--queue` off the Redis queue until stopped
 * (SIGINT/SIGTERM let running jobs finish). Exits non-zero with one line
 * naming the URL when Redis cannot be reached or is lost for a minute.
 */
export function register(program: Command): void {
  program
    .command("worker")
    .description("run QoS simulations submitted with --queue by run, calibrate or optimize (on this or any machine)")
    .requiredOption("--queue <url>", "the queue's Redis: redis://host:port[/db] (env APPROXCALIPER_QUEUE)", process.env.APPROXCALIPER_QUEUE)
    .option("--concurrency <n>", "simulations at once, one worker thread each (≤ the cores to use)", "1")
    .option("--lock-duration <s>", "job lock in seconds: how long a killed worker's job waits before another worker takes it", "60")
    .option("--cache-dir <dir>", "where models and world files fetched from Redis are kept (default ~/.cache/approxcaliper/files)")
    .option("--quiet", "print only errors, not one line per job")
    .action(async (o: WorkerCliOptions) => {
      const concurrency = Number(o.concurrency);
      if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)) throw new InputError("--concurrency", `expected an integer in [1, 256], got "${o.concurrency}"`);
      const lock = Number(o.lockDuration);
      if (!(Number.isFinite(lock) && lock >= 1 && lock <= 86_400)) throw new InputError("--lock-duration", `expected seconds in [1, 86400], got "${o.lockDuration}"`);
      const worker = await startQueueWorker({
        url: o.queue,
        concurrency,
        lockDurationMs: Math.round(lock * 1000),
        cacheDir: o.cacheDir,
        log: o.quiet ? undefined : (line) => console.log(line),
      });
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          console.log(`${signal}: finishing running jobs, then stopping`);
          void worker.close().then(resolve);
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
      await Promise.race([stopped, worker.failed.catch(async (e: Error) => {
        await worker.close();
        throw e;
      })]);
    });
}
