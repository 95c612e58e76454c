import { readFile } from "node:fs/promises";
import { InputError, writeFileAtomic } from "../../common/index.ts";

const MAGIC = "ACCKPT01";

/** A checkpoint: a JSON header plus named float32 tensors. */
export interface Checkpoint<H> {
  header: H;
  tensors: Map<string, Float32Array>;
}

/**
 * Layout: 8-byte magic `ACCKPT01`, uint32 LE header length, the UTF-8 JSON
 * `{ header, tensors: [{ name, length }] }` padded to 4 bytes, then the
 * tensors' float32 LE values back to back. Float32 bits round-trip exactly.
 */
export async function writeCheckpoint<H>(path: string, checkpoint: Checkpoint<H>): Promise<void> {
  const index = [...checkpoint.tensors].map(([name, data]) => ({ name, length: data.length }));
  const json = Buffer.from(JSON.stringify({ header: checkpoint.header, tensors: index }), "utf8");
  const headerLength = Math.ceil(json.length / 4) * 4;
  const total = 12 + headerLength + 4 * index.reduce((a, t) => a + t.length, 0);
  const bytes = new Uint8Array(total);
  bytes.set(Buffer.from(MAGIC, "latin1"), 0);
  new DataView(bytes.buffer).setUint32(8, headerLength, true);
  bytes.fill(0x20, 12, 12 + headerLength);
  bytes.set(json, 12);
  let offset = 12 + headerLength;
  for (const data of checkpoint.tensors.values()) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    offset += data.byteLength;
  }
  await writeFileAtomic(path, bytes);
}

/** Reads a checkpoint written by {@link writeCheckpoint}; damaged files raise an {@link InputError} naming `path`. */
export async function readCheckpoint<H>(path: string): Promise<Checkpoint<H>> {
  const bytes = await readFile(path);
  const fail = (msg: string): never => {
    throw new InputError(path, `not a valid checkpoint: ${msg}`);
  };
  if (bytes.length < 12 || bytes.toString("latin1", 0, 8) !== MAGIC) fail("bad magic");
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) fail("truncated header");
  let parsed: { header: H; tensors: { name: string; length: number }[] };
  try {
    parsed = JSON.parse(bytes.toString("utf8", 12, 12 + headerLength));
  } catch (e) {
    return fail(`header is not JSON (${(e as Error).message})`);
  }
  const tensors = new Map<string, Float32Array>();
  let offset = 12 + headerLength;
  for (const { name, length } of parsed.tensors) {
    if (offset + 4 * length > bytes.length) fail(`truncated tensor "${name}"`);
    const data = new Float32Array(length);
    new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + 4 * length));
    tensors.set(name, data);
    offset += 4 * length;
  }
  if (offset !== bytes.length) fail(`${bytes.length - offset} trailing bytes`);
  return { header: parsed.header, tensors };
}
