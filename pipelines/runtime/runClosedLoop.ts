import type { Observable } from "rxjs";
import type { Simulation } from "../../sim/index.ts";
import type { SimScheduler } from "./SimScheduler.ts";

/** Options of {@link runClosedLoop}. */
export interface ClosedLoopOptions {
  /** Stop at this simulated time (s). */
  maxTime: number;
  /** Stop once the robot completed the row/route. @default true */
  stopOnCompletion?: boolean;
  /** Stop once this many collisions happened (the verdict cannot change any more). @default Infinity */
  stopAfterCollisions?: number;
  /** Physics steps between completion/collision checks. @default 10 */
  checkEvery?: number;
  /** Called after every physics step and its scheduled actions (e.g. to save camera frames); awaited when it returns a Promise. */
  afterStep?: () => void | Promise<void>;
}

/** Why a closed-loop run ended. */
export type StopReason = "completed" | "timeout" | "collisions";

/**
 * Drives a closed loop on simulated time: subscribes to the loop's pipe, then
 * repeats { one physics step; run every scheduled action due by the new time;
 * wait for tracked asynchronous work } until a stop condition. Errors raised
 * anywhere in the pipe end the run and are re-thrown here.
 */
export async function runClosedLoop(
  sim: Simulation,
  scheduler: SimScheduler,
  loop$: Observable<unknown>,
  opts: ClosedLoopOptions,
): Promise<StopReason> {
  let failure: unknown;
  let failed = false;
  const sub = loop$.subscribe({
    error: (err: unknown) => {
      failed = true;
      failure = err;
    },
  });
  const every = Math.max(1, opts.checkEvery ?? 10);
  const stopOnCompletion = opts.stopOnCompletion ?? true;
  const maxCollisions = opts.stopAfterCollisions ?? Infinity;
  let reason: StopReason = "timeout";
  try {
    // Actions due at t = 0 (first perception, first control tick) run before the first step.
    scheduler.advanceTo(0);
    for (let k = 1; ; k++) {
      if (failed) throw failure;
      if (sim.time >= opts.maxTime - 1e-9) break;
      sim.step();
      scheduler.advanceTo(sim.time * 1000);
      if (scheduler.busy) await scheduler.settle();
      if (opts.afterStep) {
        const p = opts.afterStep();
        if (p) await p;
      }
      if (k % every === 0) {
        if (sim.collisions.count >= maxCollisions) {
          reason = "collisions";
          break;
        }
        if (stopOnCompletion && sim.completed()) {
          reason = "completed";
          break;
        }
      }
    }
    if (failed) throw failure;
  } finally {
    sub.unsubscribe();
  }
  return reason;
}
