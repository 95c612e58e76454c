import { readFileSync } from "node:fs";
import { InputError } from "../../common/index.ts";
import { GEM_E2, type AckermannCommand, type RobotKind, type TwistCommand } from "../../sim/index.ts";

/** A command that takes effect at time `t` (s) and holds until the next one. */
export interface TimedCommand {
  t: number;
  cmd: TwistCommand | AckermannCommand;
}

/** Default open-loop cruise speeds (m/s): TerraSentia in the rows, GEM on the track. */
export const CRUISE_SPEED: Record<RobotKind, number> = { terrasentia: 0.5, gem: 2.8 };

/**
 * Parses `--drive`: `straight`, `arc:<yaw-rate rad/s>`, or a JSONL file of
 * `{ "t": s, "v": m/s, "omega": rad/s }` (TerraSentia) or `{ "t": s, "speed": m/s, "steer": rad }` (GEM)
 * lines in increasing `t`. For the GEM, `arc:r` steers so that the yaw rate is r at cruise speed.
 * @throws InputError naming the option or file:line at fault.
 */
export function parseDrive(spec: string, robot: RobotKind): TimedCommand[] {
  const cruise = CRUISE_SPEED[robot];
  if (spec === "straight") return [{ t: 0, cmd: robot === "gem" ? { speed: cruise, steer: 0 } : { v: cruise, omega: 0 } }];
  if (spec.startsWith("arc:")) {
    const r = Number(spec.slice(4));
    if (!Number.isFinite(r)) throw new InputError("--drive", `arc:<yaw-rate> needs a number (rad/s), got "${spec.slice(4)}"`);
    return [{ t: 0, cmd: robot === "gem" ? { speed: cruise, steer: Math.atan((r * GEM_E2.wheelbase) / cruise) } : { v: cruise, omega: r } }];
  }
  let text: string;
  try {
    text = readFileSync(spec, "utf8");
  } catch {
    throw new InputError("--drive", `expected "straight", "arc:<yaw-rate>" or a readable .jsonl file, got "${spec}"`);
  }
  const out: TimedCommand[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${spec}:${i + 1}`;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch {
      throw new InputError(where, "not valid JSON");
    }
    const t = o.t;
    if (typeof t !== "number" || !(t >= 0)) throw new InputError(`${where}: t`, "expected a number ≥ 0 (seconds)");
    if (out.length > 0 && t < out[out.length - 1].t) throw new InputError(`${where}: t`, `expected t ≥ ${out[out.length - 1].t} (increasing)`);
    const [a, b] = robot === "gem" ? (["speed", "steer"] as const) : (["v", "omega"] as const);
    const x = o[a];
    const y = o[b];
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new InputError(`${where}: ${a}`, `expected a number (${robot} commands are { t, ${a}, ${b} })`);
    if (typeof y !== "number" || !Number.isFinite(y))
      throw new InputError(`${where}: ${b}`, `expected a number (${robot} commands are { t, ${a}, ${b} })`);
    out.push({ t, cmd: robot === "gem" ? { speed: x, steer: y } : { v: x, omega: y } });
  });
  if (out.length === 0) throw new InputError(spec, "no commands in file");
  return out;
}
