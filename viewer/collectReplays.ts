import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { InputError } from "../common/index.ts";
import { POINT_FILE, readRecording, type LoadedRecording } from "../pipelines/index.ts";
import type { ViewerData, ViewerReplay } from "./ViewerData.ts";

const MAX_DEPTH = 6;

function findRecordings(dir: string, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) return;
  if (existsSync(join(dir, "recording.json"))) {
    out.push(dir);
    return;
  }
  for (const name of readdirSync(dir).sort(naturalOrder)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const sub = join(dir, name);
    if (statSync(sub).isDirectory()) findRecordings(sub, depth + 1, out);
  }
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** What kind of output `dir` is: an optimization (report.json), a calibration (constraints/evaluations) or a run. */
export function outputKind(dir: string): ViewerData["kind"] {
  if (existsSync(join(dir, "report.json"))) return "optimize";
  if (existsSync(join(dir, "constraints.json")) || existsSync(join(dir, "evaluations.jsonl"))) return "calibration";
  return "run";
}

function groupOf(root: string, recDir: string): string {
  const parent = dirname(recDir);
  if (parent === root || relative(root, parent) === "") return "";
  const pointFile = join(parent, POINT_FILE);
  if (existsSync(pointFile)) {
    try {
      const p = JSON.parse(readFileSync(pointFile, "utf8")) as { label?: unknown };
      if (typeof p.label === "string") return p.label;
    } catch {
      throw new InputError(pointFile, "not valid JSON");
    }
  }
  return relative(root, parent);
}

/** One loaded recording as the page's columns, frames inlined as data URLs. */
export function toViewerReplay(rec: LoadedRecording, id: string, group: string): ViewerReplay {
  const tr = rec.trajectory;
  const commandNames = (rec.header.robot === "gem" ? ["speed", "steer"] : ["v", "omega"]) as [string, string];
  const cmd = (k: 0 | 1) => tr.map((l) => (l.command ? (l.command as Record<string, number>)[commandNames[k]] : 0));
  const hasEst = tr.length > 0 && tr.every((l) => l.estimate);
  const p = rec.perception;
  const out: Record<string, number[]> = {};
  const truth: Record<string, number[]> = {};
  for (const name of rec.header.perception.output) out[name] = p.map((l) => l.output[name]);
  for (const name of rec.header.perception.truth) truth[name] = p.map((l) => l.truth[name]);
  return {
    id,
    group,
    header: rec.header,
    trajectory: {
      t: tr.map((l) => l.t),
      x: tr.map((l) => l.pose.x),
      y: tr.map((l) => l.pose.y),
      yaw: tr.map((l) => l.pose.yaw),
      command: [cmd(0), cmd(1)],
      commandNames,
      truthCrossTrack: tr.map((l) => l.truth?.crossTrack ?? NaN),
      truthHeading: tr.map((l) => l.truth?.heading ?? NaN),
      estCrossTrack: hasEst ? tr.map((l) => l.estimate!.crossTrack) : [],
      estHeading: hasEst ? tr.map((l) => l.estimate!.heading) : [],
    },
    perception: { t: p.map((l) => l.t), output: out, truth },
    frames: rec.header.frames.map((f) => ({
      t: f.t,
      src: `data:${f.file.endsWith(".png") ? "image/png" : "image/jpeg"};base64,${readFileSync(join(rec.dir, f.file)).toString("base64")}`,
    })),
  };
}

/**
 * Gathers every recorded run under `dir` (a `run` output, a calibration or an
 * optimization folder; recordings are found up to six folders deep) into the
 * viewer's data.
 * @throws InputError when `dir` does not exist or a recording in it is malformed.
 */
export function collectReplays(dir: string): ViewerData {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InputError(dir, "no such folder (expected a run, calibrate or optimize output folder)");
  const found: string[] = [];
  findRecordings(dir, 0, found);
  const replays = found.map((d) => toViewerReplay(readRecording(d), relative(dir, d) || ".", groupOf(dir, d)));
  return { title: basename(dir) || dir, kind: outputKind(dir), replays };
}
