import type { FileHandle } from "node:fs/promises";
import type { IWritable } from "@mcap/core";

/** An `@mcap/core` writable appending to an open file (what `@mcap/nodejs` provides, in a dozen lines). */
export class FileWritable implements IWritable {
  private offset = 0n;

  constructor(private readonly file: FileHandle) {}

  async write(buffer: Uint8Array): Promise<void> {
    await this.file.write(buffer);
    this.offset += BigInt(buffer.byteLength);
  }

  position(): bigint {
    return this.offset;
  }
}
