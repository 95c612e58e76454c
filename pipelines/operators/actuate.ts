import { tap, type MonoTypeOperatorFunction } from "rxjs";
import type { Simulation } from "../../sim/index.ts";

/** Sends each command to the robot (TerraSentia `{ v, omega }`, GEM `{ speed, steer }`) and passes it on. */
export function actuate<C extends { v: number; omega: number } | { speed: number; steer: number }>(
  sim: Simulation,
): MonoTypeOperatorFunction<C> {
  return tap((cmd) => sim.setCommand(cmd));
}
