import type { Command } from "commander";
import { startQueueWorker } from "../../pipelines/index.ts";
import { intArg, numberArg, numberSchema, option } from "../options/index.ts";
import { queueOption } from "./queueOption.ts";

interface WorkerCliOptions {
  queue: string;
  concurrency: number;
  lockDuration: number;
  cacheDir?: string;
  quiet?: boolean;
}

/**
 * `approxcaliper worker --queue redis://host:port[/db] [--concurrency n]`:
 * takes QoS runs submitted with `--queue` off the Redis queue until stopped
 * (SIGINT/SIGTERM let running jobs finish). Exits non-zero with one line
 * naming the URL when Redis cannot be reached, or is lost for a minute.
 */
export function register(program: Command): void {
  program
    .command("worker")
    .description("run QoS simulations submitted with --queue by run, calibrate or optimize (on this or any machine)")
    .addOption(queueOption("the queue's Redis, as the submitters' --queue: redis://host:port[/db]").makeOptionMandatory())
    .addOption(option("--concurrency <n>", "simulations at once, one worker thread each (at most the cores it may use)", intArg(1, 256), 1))
    .addOption(
      option(
        "--lock-duration <s>",
        "job lock (s): renewed while a job runs; how long a killed worker's job waits before another worker takes it",
        numberArg(numberSchema(1, 86_400)),
        60,
      ),
    )
    .addOption(
      option(
        "--cache-dir <dir>",
        "where models and world files fetched from Redis are kept",
        undefined,
        undefined,
        "$APPROXCALIPER_CACHE/files or ~/.cache/approxcaliper/files",
      ),
    )
    .addOption(option("--quiet", "print only errors, not one line per job"))
    .action(async (o: WorkerCliOptions) => {
      const worker = await startQueueWorker({
        url: o.queue,
        concurrency: o.concurrency,
        lockDurationMs: Math.round(o.lockDuration * 1000),
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
      const lost = worker.failed.catch(async (e: Error) => {
        await worker.close();
        throw e;
      });
      await Promise.race([stopped, lost]);
    });
}
