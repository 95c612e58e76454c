import { existsSync } from "node:fs";
import { join } from "node:path";
import { pointReplayDir } from "../pipelines/index.ts";

/** Folder of the replays under a calibrate/optimize output folder. */
export const REPLAYS_FOLDER = "replays";

/**
 * Links from the pages of an output folder (report.html, boundary.svg) to the
 * replays of a QoS point in its `viewer.html`, for points whose runs were
 * recorded (undefined otherwise).
 */
export function replayPointLink(outDir: string): (hash: string) => string | undefined {
  return (hash) =>
    existsSync(pointReplayDir(join(outDir, REPLAYS_FOLDER), hash)) ? `viewer.html#point=${encodeURIComponent(hash)}` : undefined;
}
