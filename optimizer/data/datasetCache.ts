import { mkdir, open, rename, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

/** File header tag and version: bump when the cached layout changes. */
const MAGIC = "ACDS1";
const HEADER_BYTES = 16;

/**
 * Reads two Float32Arrays cached under `key` in `dir`, or `undefined` when the
 * entry is missing or does not hold the expected lengths (a stale or
 * truncated entry is rebuilt rather than trusted).
 */
export async function readCachedArrays(dir: string, key: string, lengths: [number, number]): Promise<[Float32Array, Float32Array] | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(join(dir, `${key}.bin`), "r");
  } catch {
    return undefined;
  }
  try {
    const { size } = await fh.stat();
    if (size !== HEADER_BYTES + 4 * (lengths[0] + lengths[1])) return undefined;
    const header = new Uint8Array(HEADER_BYTES);
    await readFully(fh, header, 0);
    if (Buffer.from(header).toString("latin1", 0, MAGIC.length) !== MAGIC) return undefined;
    // Read straight into the arrays' memory: large datasets should not be held twice.
    const a = new Float32Array(lengths[0]);
    const b = new Float32Array(lengths[1]);
    await readFully(fh, new Uint8Array(a.buffer), HEADER_BYTES);
    await readFully(fh, new Uint8Array(b.buffer), HEADER_BYTES + a.byteLength);
    return [a, b];
  } finally {
    await fh.close();
  }
}

/** Fills `target` from `position` on, in chunks (one read call is limited to ~2 GB). */
async function readFully(fh: FileHandle, target: Uint8Array, position: number): Promise<void> {
  const chunk = 1 << 30;
  for (let done = 0; done < target.length;) {
    const { bytesRead } = await fh.read(target, done, Math.min(chunk, target.length - done), position + done);
    if (bytesRead === 0) throw new Error("cache file ended early");
    done += bytesRead;
  }
}

/** Writes two Float32Arrays under `key` in `dir` atomically (temporary file + rename), without copying them. */
export async function writeCachedArrays(dir: string, key: string, a: Float32Array, b: Float32Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, "latin1");
  const final = join(dir, `${key}.bin`);
  const tmp = `${final}.${process.pid}.tmp`;
  const fh = await open(tmp, "w");
  try {
    for (const part of [header, new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength)]) {
      const chunk = 1 << 30;
      for (let done = 0; done < part.length;) {
        const { bytesWritten } = await fh.write(part, done, Math.min(chunk, part.length - done));
        done += bytesWritten;
      }
    }
  } finally {
    await fh.close();
  }
  await rename(tmp, final);
}
