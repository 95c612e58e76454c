import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { extname, join } from "node:path";
import type { Redis } from "ioredis";
import { InputError } from "../../common/index.ts";
import { CONTENT_REF } from "./QueueJob.ts";

/** Redis key of a stored file's bytes. */
const key = (sha: string) => `approxcaliper:file:${sha}`;

/**
 * The folder queue workers cache files in: `$APPROXCALIPER_CACHE`, else
 * `$XDG_CACHE_HOME/approxcaliper`, else `~/.cache/approxcaliper`; files go
 * under `files/`, named by their SHA-256.
 */
export function defaultCacheDir(): string {
  const root = process.env.APPROXCALIPER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "approxcaliper");
  return join(root, "files");
}

/**
 * Files that travel with queue jobs (ONNX models, world preset files), stored
 * in Redis by content: the submitter uploads each file once, under
 * `approxcaliper:file:<sha256>` (an existing key is not rewritten), and jobs
 * name it `sha256:<hex><ext>`; a worker downloads it once into its cache
 * folder, checks the hash and reuses the copy for every later job.
 */
export class ContentStore {
  /** Uploads known to be in Redis: path → (size, mtime, reference). */
  private readonly uploaded = new Map<string, { size: number; mtimeMs: number; ref: string }>();

  constructor(private readonly redis: Redis) {}

  /**
   * Makes `path` available to workers; returns its content reference.
   * @param where the configuration field naming the file, for errors.
   */
  async put(path: string, where: string): Promise<string> {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      throw new InputError(where, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const known = this.uploaded.get(path);
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return known.ref;
    const bytes = readFileSync(path);
    const sha = createHash("sha256").update(bytes).digest("hex");
    // NX: a file many submitters share is written once.
    await this.redis.set(key(sha), bytes, "NX");
    const ref = `${CONTENT_REF}${sha}${extname(path)}`;
    this.uploaded.set(path, { size: st.size, mtimeMs: st.mtimeMs, ref });
    return ref;
  }

  /**
   * The local path of a referenced file, downloaded into `cacheDir` on first use.
   * @throws Error when Redis has no such file or its bytes do not match the hash.
   */
  async get(ref: string, cacheDir: string): Promise<string> {
    const m = /^sha256:([0-9a-f]{64})(\.[A-Za-z0-9]+)?$/.exec(ref);
    if (!m) throw new Error(`bad content reference "${ref}" in a queue job`);
    const [, sha, ext = ""] = m;
    const file = join(cacheDir, `${sha}${ext}`);
    if (existsSync(file)) return file;
    const bytes = await this.redis.getBuffer(key(sha));
    if (bytes === null) throw new Error(`file ${sha} is not in Redis (was it flushed? the submitter uploads it again when it reruns)`);
    const got = createHash("sha256").update(bytes).digest("hex");
    if (got !== sha) throw new Error(`file ${sha} from Redis hashes to ${got}; refusing it`);
    mkdirSync(cacheDir, { recursive: true });
    // Write then rename, so a concurrent job or a crash never leaves a half file under the final name.
    const tmp = `${file}.${randomUUID()}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    return file;
  }
}
