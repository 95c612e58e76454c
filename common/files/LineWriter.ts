import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

/**
 * Appends text lines to a file as they are produced, with bounded memory:
 * {@link write} waits for the stream to drain whenever its buffer is full,
 * so a long loop that never yields otherwise still gets its output to disk
 * and does not grow. Stream errors (disk full, folder removed) are kept and
 * thrown from the next {@link write} or {@link close} instead of crashing the
 * process as an unhandled `'error'` event.
 *
 * @example
 * const out = new LineWriter("trajectory.jsonl");
 * for (const p of points) await out.write(JSON.stringify(p));
 * await out.close();
 */
export class LineWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  /** Lines written so far. */
  lines = 0;

  /** @param highWaterMark buffered bytes before {@link write} waits. @default 64 KiB */
  constructor(
    readonly path: string,
    highWaterMark = 64 * 1024,
  ) {
    this.stream = createWriteStream(path, { highWaterMark });
    this.stream.on("error", (e) => {
      this.failure ??= new Error(`${path}: cannot write (${e.message})`);
    });
  }

  /** Appends `line` and a newline; resolves once the buffer has room again. */
  async write(line: string): Promise<void> {
    this.throwIfFailed();
    this.lines++;
    // once() rejects if the stream errors while we wait; the failure is recorded by the listener.
    if (!this.stream.write(`${line}\n`)) await once(this.stream, "drain").catch(() => undefined);
    this.throwIfFailed();
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    this.throwIfFailed();
    if (!this.stream.closed) {
      const closed = once(this.stream, "close");
      this.stream.end();
      await closed;
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
