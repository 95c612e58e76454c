import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { InputError } from "../../common/index.ts";

/** One finished QoS evaluation as stored in the checkpoint. */
export interface EvaluationRecord {
  /** Cache key (hash of oracle id, injection and seeds). */
  key: string;
  /** Budget point, metric units, axis order. */
  point: number[];
  pass: boolean;
  /** The oracle could not decide (counted as a fail); see `QosOutcome.uncertain`. */
  uncertain?: boolean;
  /** The oracle's hash of the evaluation. */
  hash: string;
  detail?: unknown;
}

const recordSchema = z.object({
  key: z.string(),
  point: z.array(z.number()),
  pass: z.boolean(),
  uncertain: z.boolean().optional(),
  hash: z.string(),
  detail: z.unknown().optional(),
});

/**
 * The evaluation cache, optionally backed by an append-only JSONL checkpoint
 * (one {@link EvaluationRecord} per line). Opening reads the file back; a
 * last line cut short by a kill is dropped and cut from the file, so the run
 * that resumes appends cleanly. Each record is appended with one write as
 * soon as its evaluation finishes, so a kill loses at most the evaluation in
 * flight.
 */
export class EvaluationLog {
  /** Checkpoint path, if any. */
  readonly path: string | undefined;
  private readonly cache = new Map<string, EvaluationRecord>();

  private constructor(path: string | undefined) {
    this.path = path;
  }

  /** An in-memory log, or one backed by `path` (created on the first append; read back if it exists). */
  static open(path?: string): EvaluationLog {
    const log = new EvaluationLog(path);
    if (path && existsSync(path)) log.load(path);
    else if (path) mkdirSync(dirname(path), { recursive: true });
    return log;
  }

  /** Number of cached evaluations. */
  get size(): number {
    return this.cache.size;
  }

  /** The cached evaluation with this key. */
  get(key: string): EvaluationRecord | undefined {
    return this.cache.get(key);
  }

  /** All cached evaluations, in the order they finished. */
  records(): EvaluationRecord[] {
    return Array.from(this.cache.values());
  }

  /** Caches `record` and appends it to the checkpoint. */
  append(record: EvaluationRecord): void {
    this.cache.set(record.key, record);
    if (this.path) appendFileSync(this.path, JSON.stringify(record) + "\n");
  }

  private load(path: string): void {
    const text = readFileSync(path, "utf8");
    let start = 0;
    let lineNo = 0;
    while (start < text.length) {
      lineNo++;
      const end = text.indexOf("\n", start);
      const complete = end >= 0;
      const line = text.slice(start, complete ? end : text.length);
      const record = parse(line);
      if (!complete) {
        // The last line lost its newline in a kill: keep it if whole, else cut it off.
        if (record) {
          appendFileSync(path, "\n");
          this.cache.set(record.key, record);
        } else truncateSync(path, Buffer.byteLength(text.slice(0, start)));
        break;
      }
      if (line.trim() !== "") {
        if (!record) throw new InputError(`${path}:${lineNo}`, "not an evaluation record (corrupt checkpoint)");
        this.cache.set(record.key, record);
      }
      start = end + 1;
    }
  }
}

function parse(line: string): EvaluationRecord | undefined {
  try {
    const r = recordSchema.safeParse(JSON.parse(line));
    return r.success ? (r.data as EvaluationRecord) : undefined;
  } catch {
    return undefined;
  }
}
