import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import { stableHash } from "../../common/index.ts";
import type { QosTask, QosTaskResult } from "../qos/QosTask.ts";

/**
 * The queue's wire protocol: what a submitter puts in a BullMQ job and what a
 * worker sends back. Both sides must run the same project version
 * ({@link PROJECT_VERSION}); a worker refuses jobs stamped with another one.
 */

/** BullMQ queue name (keys `bull:approxcaliper-qos:*` in Redis). */
export const QUEUE_NAME = "approxcaliper-qos";

/** Bumped when the job or result encoding changes, independently of the package version. */
export const QUEUE_PROTOCOL = 1;

/** The installed project's version (package.json), which submitters stamp on jobs and workers compare. */
export const PROJECT_VERSION = readProjectVersion();

function readProjectVersion(): string {
  // Walk up from this file so the lookup also holds from a compiled copy under dist/.
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "approxcaliper" && typeof pkg.version === "string") return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error("approxcaliper's package.json not found above " + fileURLToPath(import.meta.url));
  }
}

/**
 * Prefix of a file reference by content in a job's configuration: `sha256:<hex><ext>`
 * stands for the file whose bytes hash to `<hex>` (an ONNX model or a world preset file).
 */
export const CONTENT_REF = "sha256:";

/** Data of one job. */
export type QueueJobData =
  | {
      kind: "run";
      /** Submitter's project version; see {@link PROJECT_VERSION}. */
      version: string;
      protocol: number;
      /** The run, with every file the worker needs named by content ({@link CONTENT_REF}). */
      task: QosTask;
    }
  /** An empty job: the worker answers at once (measures the queue's own round trip). */
  | { kind: "ping"; version: string; protocol: number };

/**
 * The job id: the content hash of the run (configuration with its files by
 * content, seed, early-stop bound, whether the trajectory comes back) and of
 * the project version. BullMQ ignores an add whose id exists, so a run asked
 * for twice (two evaluations sharing a seed, a resumed submitter) is
 * simulated once, and results of another version are never reused.
 */
export function jobId(data: QueueJobData): string {
  // BullMQ job ids may not contain ':' nor parse as integers.
  return `${data.kind}-${stableHash({ hashOf: "qos-job/v1", job: data })}`;
}

/**
 * Results travel as base64 of V8's structured-clone serialization, the
 * encoding worker threads use: numbers keep every bit (−0, NaN included) and a
 * trajectory stays a Float64Array, so a summary from the queue is identical to
 * one from the local pool. JSON would not be.
 */
export function encodeResult(result: QosTaskResult): string {
  return serialize(result).toString("base64");
}

/** Inverse of {@link encodeResult}. */
export function decodeResult(encoded: string): QosTaskResult {
  return deserialize(Buffer.from(encoded, "base64")) as QosTaskResult;
}
