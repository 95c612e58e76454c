import { tap, type MonoTypeOperatorFunction } from "rxjs";
import type { TrajectoryRecorder } from "../runtime/TrajectoryRecorder.ts";

/**
 * Records one trajectory row per control command: `fill(cmd, row)` writes the
 * columns of the recorder's scratch row (see `TRAJECTORY_FIELDS`), then the row is committed.
 */
export function recordStep<C>(recorder: TrajectoryRecorder, fill: (cmd: C, row: Float64Array) => void): MonoTypeOperatorFunction<C> {
  return tap((cmd) => {
    fill(cmd, recorder.row);
    recorder.commit();
  });
}
