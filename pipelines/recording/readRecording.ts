import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, readJsonFile } from "../../common/index.ts";
import { parseTrajectoryJsonl, type TrajectoryLine } from "../../sim/index.ts";
import { parseRunRecording, type PerceptionLine, type RunRecording } from "./RunRecording.ts";

/** A recorded run read back from its folder. */
export interface LoadedRecording {
  dir: string;
  header: RunRecording;
  trajectory: TrajectoryLine[];
  perception: PerceptionLine[];
}

/**
 * Reads the replay in `dir` (`recording.json`, `trajectory.jsonl`, `perception.jsonl`).
 * @throws InputError naming the file (and line, field) that is missing or malformed.
 */
export function readRecording(dir: string): LoadedRecording {
  const headerFile = join(dir, "recording.json");
  if (!existsSync(headerFile))
    throw new InputError(dir, "no recording.json here (record runs with `run --record all`, or pick a seed folder that failed)");
  const header = parseRunRecording(readJsonFile(headerFile), headerFile);
  const trajFile = join(dir, "trajectory.jsonl");
  if (!existsSync(trajFile)) throw new InputError(trajFile, "missing (every recording has its trajectory)");
  const trajectory = parseTrajectoryJsonl(readFileSync(trajFile, "utf8"), trajFile);
  const percFile = join(dir, "perception.jsonl");
  const perception: PerceptionLine[] = [];
  if (existsSync(percFile)) {
    readFileSync(percFile, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim() === "") return;
        let p: PerceptionLine;
        try {
          p = JSON.parse(line);
        } catch {
          throw new InputError(`${percFile}:${i + 1}`, "not a JSON line");
        }
        if (typeof p.t !== "number" || typeof p.output !== "object" || typeof p.truth !== "object") {
          throw new InputError(`${percFile}:${i + 1}`, "expected { t, output, truth }");
        }
        perception.push(p);
      });
  }
  for (const f of header.frames) {
    if (!existsSync(join(dir, f.file))) throw new InputError(join(dir, f.file), "camera frame listed in recording.json is missing");
  }
  return { dir, header, trajectory, perception };
}
