import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.ts";

/** Name of the lock file inside a locked output folder. */
export const LOCK_FILE = ".approxcaliper.lock";

/** What a lock file records about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The command holding the folder, e.g. `calibrate`. */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** Options of {@link OutputFolder.open}. */
export interface OutputFolderOptions {
  /** The option or field that named the folder, for error messages. @default "--out" */
  where?: string;
  /** The command taking the folder, recorded in the lock. @default "approxcaliper" */
  command?: string;
}

const held = new Set<OutputFolder>();
let exitHook = false;

/**
 * An output folder this process writes into, created if needed and locked
 * against other approxcaliper processes: a second process opening it gets an
 * {@link InputError} naming the holder's PID instead of silently writing the
 * same files twice. A lock left by a process that no longer runs is taken
 * over. Open the folder only after every input has been validated, so a
 * refused run leaves no folder behind.
 *
 * @example
 * const out = OutputFolder.open(o.out, { command: "calibrate" });
 * try { ... } finally { out.release(); }
 */
export class OutputFolder {
  private released = false;

  private constructor(
    /** The folder's path as given. */
    readonly path: string,
    private readonly lockPath: string,
    private readonly created: readonly string[],
  ) {}

  /**
   * Creates `path` (with parents) if needed and locks it.
   *
   * @throws InputError when `path` is a file, cannot be created or written,
   *   or is locked by a live process (the message names its PID).
   */
  static open(path: string, opts: OutputFolderOptions = {}): OutputFolder {
    const where = opts.where ?? "--out";
    let st;
    try {
      st = statSync(path, { throwIfNoEntry: false });
    } catch (e) {
      throw new InputError(where, `cannot use "${path}" as an output folder (${errnoText(e)})`);
    }
    if (st && !st.isDirectory()) throw new InputError(where, `"${path}" exists and is not a folder`);
    let created: string[];
    try {
      created = makeFolders(path);
      accessSync(path, constants.W_OK);
    } catch (e) {
      throw new InputError(where, `cannot create or write output folder "${path}" (${errnoText(e)})`);
    }
    const lockPath = join(path, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: hostname(), command: opts.command ?? "approxcaliper", since: new Date().toISOString() };
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(lockPath, "wx");
        writeSync(fd, JSON.stringify(me) + "\n");
        closeSync(fd);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
          throw new InputError(where, `cannot lock output folder "${path}" (${errnoText(e)})`);
        }
      }
      const holder = readHolder(lockPath);
      if (holder && holder.pid !== process.pid && isAlive(holder)) {
        throw new InputError(
          where,
          `output folder "${path}" is in use by another approxcaliper process (PID ${holder.pid}, ${holder.command}, since ${holder.since}); ` +
            `wait for it to finish or choose another folder`,
        );
      }
      if (holder?.pid === process.pid && [...held].some((f) => resolve(f.path) === resolve(path))) {
        throw new InputError(where, `output folder "${path}" is already open in this process`);
      }
      if (attempt > 0) throw new InputError(where, `cannot lock output folder "${path}": its lock file keeps reappearing`);
      // The holder is gone (killed, crashed): its lock is stale.
      try {
        unlinkSync(lockPath);
      } catch {
        // another process removed it first; retry
      }
    }
    const folder = new OutputFolder(path, lockPath, created);
    held.add(folder);
    if (!exitHook) {
      exitHook = true;
      process.once("exit", () => {
        for (const f of held) f.release();
      });
    }
    return folder;
  }

  /** A path inside the folder. */
  file(...parts: string[]): string {
    return join(this.path, ...parts);
  }

  /**
   * Removes the lock (idempotent; also done when the process exits). Folders
   * {@link open} created and nothing was written to are removed too, so a run
   * refused after opening its folder leaves nothing behind.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    const holder = readHolder(this.lockPath);
    if (holder && holder.pid !== process.pid) return;
    try {
      unlinkSync(this.lockPath);
    } catch {
      // already removed
    }
    for (const dir of this.created) {
      try {
        if (readdirSync(dir).length > 0) break;
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdirSync spins forever
 * when a parent exists but refuses children with ENOENT (e.g. under /proc).
 */
function makeFolders(path: string): string[] {
  const missing: string[] = [];
  let p = resolve(path);
  while (!existsSync(p)) {
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (let i = missing.length - 1; i >= 0; i--) mkdirSync(missing[i]);
  return missing;
}

/** The holder recorded in a lock file, or undefined when it is missing or unreadable. */
export function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<LockHolder>;
    return typeof h.pid === "number"
      ? { pid: h.pid, host: String(h.host ?? ""), command: String(h.command ?? "?"), since: String(h.since ?? "?") }
      : undefined;
  } catch {
    return undefined;
  }
}

/** True unless the holder is on this host and its PID no longer runs (a lock from another host is assumed live). */
function isAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOTDIR: "a parent is not a folder",
    EEXIST: "exists and is not a folder",
    ENOSPC: "no space left on device",
  };
  return (err.code && why[err.code]) ?? err.message;
}
