import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { QosEvaluation } from "../qos/QosEvaluator.ts";
import type { RunConfig } from "../RunConfig.ts";
import { shouldRecord, type RecordMode } from "./RecordMode.ts";
import { writeRecording } from "./writeRecording.ts";

/** `point.json`: what a QoS point's replay folder shows in the viewer's picker. */
export const POINT_FILE = "point.json";

/** Where the replays of the QoS evaluation `hash` go under a replays folder. */
export function pointReplayDir(replaysDir: string, hash: string): string {
  return join(replaysDir, hash);
}

/** A one-line description of a run's perception, for labels. */
export function describePerception(config: RunConfig): string {
  const p = config.perception;
  if (p.kind === "onnx") return `onnx ${basename(p.model)}${p.distanceModel ? ` + ${basename(p.distanceModel)}` : ""}`;
  if (p.kind === "oracle") return "oracle";
  const r = (name: string, e: { bias: number; std: number }) => `${name} bias ${+e.bias.toPrecision(3)} σ ${+e.std.toPrecision(3)}`;
  if (config.pipeline === "gem") {
    const l = p.lane;
    return `lane drop ${+l.dropRate.toPrecision(3)}, false-pos ${+l.falsePositiveRate.toPrecision(3)}, shift ${+l.shiftPx.toPrecision(3)}±${+l.shiftStdPx.toPrecision(3)} px`;
  }
  return `${r("φ", p.heading)}, ${r("d", p.distance)}`;
}

/**
 * Writes the replays of one QoS evaluation's runs that `mode` selects into
 * `<replaysDir>/<evaluation hash>/seed-<n>/`, with a `point.json` naming the
 * point. Runs without a kept trajectory (loaded from a cache file: recorded
 * by the process that ran them) and replays already on disk are skipped.
 * Returns the seeds written.
 */
export function recordEvaluation(replaysDir: string, e: QosEvaluation, mode: RecordMode): number[] {
  const written: number[] = [];
  const dir = pointReplayDir(replaysDir, e.hash);
  for (const s of e.perSeed) {
    if (!shouldRecord(mode, s.pass) || !s.trajectory) continue;
    const seedDir = join(dir, `seed-${s.seed}`);
    if (existsSync(join(seedDir, "recording.json"))) continue;
    writeRecording(seedDir, { config: e.config, seed: s.seed, summary: s, goal: e.goal, pass: s.pass });
    written.push(s.seed);
  }
  if (written.length > 0) {
    mkdirSync(dir, { recursive: true });
    const label = `${e.pass ? "pass" : e.verdict === "uncertain" ? "uncertain" : "FAIL"}: ${describePerception(e.config)}${e.config.fps !== undefined ? `, ${e.config.fps} FPS` : ""}`;
    writeFileSync(join(dir, POINT_FILE), JSON.stringify({ label, hash: e.hash, pass: e.pass }) + "\n");
  }
  return written;
}
