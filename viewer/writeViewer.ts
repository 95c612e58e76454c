import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildViewerBundle } from "./buildViewerBundle.ts";
import { collectReplays } from "./collectReplays.ts";
import { viewerHtml } from "./viewerHtml.ts";

/** Result of {@link writeViewer}. */
export interface WrittenViewer {
  /** Path of the page written. */
  file: string;
  /** Replays it holds. */
  replays: number;
  bytes: number;
}

/**
 * Writes `<dir>/viewer.html`, a self-contained replay viewer for every
 * recorded run under `dir` (a run, calibration or optimization output).
 * @throws InputError when `dir` is missing or holds a malformed recording.
 */
export async function writeViewer(dir: string, file = join(dir, "viewer.html")): Promise<WrittenViewer> {
  const data = collectReplays(dir);
  const html = viewerHtml(data, await buildViewerBundle());
  writeFileSync(file, html);
  return { file, replays: data.replays.length, bytes: Buffer.byteLength(html) };
}
