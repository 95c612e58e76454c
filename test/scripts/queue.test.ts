import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_NAME } from "../../index.ts";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";
import { startWorkerProcess, type WorkerProcess } from "../fixtures/queueWorkers.ts";
import { freePort, startRedis, type RedisServer } from "../fixtures/redisServer.ts";

const run = promisify(execFile);
const ITERS = 4;
const calibrateArgs = (out: string) => [
  "calibrate",
  "--pipeline",
  "cropfollow",
  "--world",
  "cropfield-straight",
  "--metrics",
  "heading:l1,distance:l1",
  "--iters",
  `${ITERS}`,
  "--seeds",
  "2",
  "--out",
  out,
];
const calibrateCli = (args: string[]) => run(process.execPath, [...CLI_FROM_SOURCES, ...args], { timeout: 240_000 });
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

/** Resolves once `file` has at least `n` lines. */
async function waitForLines(file: string, n: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(existsSync(file) && lines(readFileSync(file, "utf8")).length >= n)) {
    if (Date.now() > end) throw new Error(`${file} did not reach ${n} lines`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("calibrate --queue: BullMQ on a real redis-server with `approxcaliper worker` processes", () => {
  let dir: string;
  let local: string;
  let redis: RedisServer;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "queue-cli-"));
    local = join(dir, "local");
    // The reference: the same calibration on the local pool.
    await calibrateCli(calibrateArgs(local));
    redis = await startRedis();
  }, 300_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop("SIGKILL")));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("with 2 worker processes gives the same constraints and checkpoint as the local pool, byte for byte", async () => {
    const cache = join(dir, "cache");
    workers.push(...(await Promise.all([startWorkerProcess(redis.url, cache), startWorkerProcess(redis.url, cache)])));
    const out = join(dir, "queue");
    await calibrateCli([...calibrateArgs(out), "--queue", redis.url]);
    expect(read(out, "constraints.json")).toBe(read(local, "constraints.json"));
    expect(read(out, "evaluations.jsonl")).toBe(read(local, "evaluations.jsonl"));
    // Both processes took jobs: 2 seeds per evaluation are queued at once.
    for (const w of workers) expect(w.output()).toMatch(/seed \d+: done in/);
  }, 300_000);

  it("takes the queue from APPROXCALIPER_QUEUE, and a rerun is answered from Redis without simulating again", async () => {
    const out = join(dir, "queue-env");
    const before = workers.map((w) => (w.output().match(/done in/g) ?? []).length);
    await run(process.execPath, [...CLI_FROM_SOURCES, ...calibrateArgs(out)], {
      timeout: 240_000,
      env: { ...process.env, APPROXCALIPER_QUEUE: redis.url },
    });
    expect(read(out, "evaluations.jsonl")).toBe(read(local, "evaluations.jsonl"));
    expect(workers.map((w) => (w.output().match(/done in/g) ?? []).length)).toEqual(before);
  }, 300_000);

  it("a worker of another version refuses the job, and the submitter says so", async () => {
    const { RedisQueueBackend, QosEvaluator } = await import("../../index.ts");
    const qos = new QosEvaluator({ backend: new RedisQueueBackend({ url: redis.url, version: "0.0.0-other" }) });
    try {
      await expect(
        qos.evaluate({ pipeline: "cropfollow", world: "cropfield-straight", perception: { kind: "oracle" } }, { collisions: 0 }, [7]),
      ).rejects.toThrow(/refuses a job from approxcaliper 0\.0\.0-other .*run workers of the submitter's version/);
    } finally {
      await qos.close();
    }
    expect(workers.some((w) => w.output().includes("refused (0.0.0-other)"))).toBe(true);
  }, 120_000);

  it("a worker SIGKILLed mid-job: another takes the job over and every evaluation is recorded exactly once", async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    // Database 1: nothing from the runs above is there to answer from.
    const url = `${redis.url}/1`;
    const cache = join(dir, "cache-kill");
    const first = await startWorkerProcess(url, cache);
    workers.push(first);
    const events = new QueueEvents(QUEUE_NAME, { connection: { url } });
    await events.waitUntilReady();
    const stalled: string[] = [];
    events.on("stalled", ({ jobId }) => stalled.push(jobId));
    let killed = false;
    events.on("active", () => {
      if (killed) return;
      killed = true;
      first.child.kill("SIGKILL");
      void startWorkerProcess(url, cache).then((w) => workers.push(w));
    });
    const out = join(dir, "queue-kill");
    try {
      await calibrateCli([...calibrateArgs(out), "--queue", url]);
    } finally {
      await events.close();
    }
    expect(killed).toBe(true);
    expect(first.child.signalCode).toBe("SIGKILL");
    // The killed job's lock expired and the job went back to the queue, from where the second worker ran it.
    expect(stalled.length).toBeGreaterThanOrEqual(1);
    expect(read(out, "evaluations.jsonl")).toBe(read(local, "evaluations.jsonl"));
    expect(read(out, "constraints.json")).toBe(read(local, "constraints.json"));
  }, 300_000);

  it("a Redis that goes away: one-line error naming the URL, checkpoint intact, and a rerun resumes", async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const own = await startRedis();
    const cache = join(dir, "cache-stop");
    // The worker outlives the Redis restart: it reconnects to the new server on the same port.
    const worker = await startWorkerProcess(own.url, cache);
    workers.push(worker);
    const out = join(dir, "queue-stop");
    mkdirSync(out, { recursive: true });
    const child = spawn(process.execPath, [...CLI_FROM_SOURCES, ...calibrateArgs(out), "--queue", own.url], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitForLines(join(out, "evaluations.jsonl"), 1, 240_000);
      await own.stop();
      expect(await exited, stderr).toBe(1);
      const message = lines(stderr).filter((l) => l.startsWith("approxcaliper:"));
      expect(message, stderr).toEqual([
        expect.stringMatching(new RegExp(`^approxcaliper: lost the queue's Redis at redis://127\\.0\\.0\\.1:${own.port}\\b`)),
      ]);
      expect(stderr).not.toMatch(/\n\s+at /);
      // What finished is in the checkpoint, each line whole and equal to the local run's.
      const kept = lines(read(out, "evaluations.jsonl"));
      expect(kept.length).toBeGreaterThanOrEqual(1);
      expect(kept.length).toBeLessThan(ITERS);
      expect(kept).toEqual(lines(read(local, "evaluations.jsonl")).slice(0, kept.length));

      const again = await startRedis(own.port);
      try {
        const { stdout } = await calibrateCli([...calibrateArgs(out), "--queue", own.url]);
        expect(stdout).toContain(
          `resumed from ${join(out, "evaluations.jsonl")}: ${kept.length} evaluations replayed, ${ITERS - kept.length} new`,
        );
        expect(read(out, "evaluations.jsonl")).toBe(read(local, "evaluations.jsonl"));
      } finally {
        await worker.stop();
        await again.stop();
      }
    } finally {
      child.kill("SIGKILL");
      await own.stop();
    }
  }, 400_000);

  it("cannot reach Redis: one-line error naming the URL; a malformed URL is named before anything runs", async () => {
    const out = join(dir, "unreachable");
    const bad = `redis://127.0.0.1:${await freePort()}`;
    const err = await calibrateCli([...calibrateArgs(out), "--queue", bad]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr.trim()).toMatch(
      new RegExp(`^approxcaliper: cannot reach the queue's Redis at ${bad.replace(/\./g, "\\.")}/? \\(connect ECONNREFUSED`),
    );
    const bogus = await calibrateCli([...calibrateArgs(out), "--queue", "http://x"]).catch((e: { stderr: string }) => e);
    expect((bogus as { stderr: string }).stderr.trim()).toBe(
      'approxcaliper: --queue: "http://x" is not a redis:// URL; expected redis://host:port[/db]',
    );
  }, 120_000);
});
