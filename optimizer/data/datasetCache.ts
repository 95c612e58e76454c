import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** File header tag and version: bump when the cached layout changes. */
const MAGIC = "ACDS1";

/**
 * Reads two Float32Arrays cached under `key` in `dir`, or `undefined` when the
 * entry is missing or does not hold the expected lengths (a stale or
 * truncated entry is rebuilt rather than trusted).
 */
export async function readCachedArrays(
  dir: string,
  key: string,
  lengths: [number, number],
): Promise<[Float32Array, Float32Array] | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, `${key}.bin`));
  } catch {
    return undefined;
  }
  const headerBytes = 16;
  if (bytes.length !== headerBytes + 4 * (lengths[0] + lengths[1])) return undefined;
  if (bytes.toString("latin1", 0, MAGIC.length) !== MAGIC) return undefined;
  // Copy into fresh, aligned buffers; Buffer slices may not be 4-byte aligned.
  const a = new Float32Array(lengths[0]);
  const b = new Float32Array(lengths[1]);
  new Uint8Array(a.buffer).set(bytes.subarray(headerBytes, headerBytes + 4 * lengths[0]));
  new Uint8Array(b.buffer).set(bytes.subarray(headerBytes + 4 * lengths[0]));
  return [a, b];
}

/** Writes two Float32Arrays under `key` in `dir` atomically (temporary file + rename). */
export async function writeCachedArrays(dir: string, key: string, a: Float32Array, b: Float32Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const header = Buffer.alloc(16);
  header.write(MAGIC, 0, "latin1");
  const body = Buffer.concat([
    header,
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  ]);
  const final = join(dir, `${key}.bin`);
  const tmp = `${final}.${process.pid}.tmp`;
  await writeFile(tmp, body);
  await rename(tmp, final);
}
