import { Observable, type OperatorFunction } from "rxjs";
import type { PerceptionSource } from "../perception/PerceptionSource.ts";
import type { SimScheduler } from "../runtime/SimScheduler.ts";
import type { Stamped } from "./Stamped.ts";

/**
 * Runs the perception source once per upstream trigger (a camera tick) and
 * emits its output stamped with the capture time. `copy` turns the source's
 * reused output buffer into a value that may outlive the next frame (needed
 * whenever a later stage delays it); omit it to pass the buffer through.
 *
 * Asynchronous sources (an ONNX run) are registered with the scheduler, so
 * the loop driver holds simulated time still until the result is emitted.
 */
export function perceive<T, R = T>(
  source: PerceptionSource<T>,
  scheduler: SimScheduler,
  copy?: (value: T) => R,
): OperatorFunction<unknown, Stamped<R>> {
  const out = copy ?? ((v: T) => v as unknown as R);
  return (upstream) =>
    new Observable<Stamped<R>>((subscriber) => {
      // An upstream completion waits for results still being computed.
      let pending = 0;
      let upstreamDone = false;
      return upstream.subscribe({
        next: () => {
          const t = scheduler.now() / 1000;
          const result = source.perceive();
          if (result instanceof Promise) {
            pending++;
            scheduler.track(
              result.then(
                (value) => {
                  pending--;
                  subscriber.next({ t, value: out(value) });
                  if (upstreamDone && pending === 0) subscriber.complete();
                },
                (err: unknown) => subscriber.error(err),
              ),
            );
          } else {
            subscriber.next({ t, value: out(result) });
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          upstreamDone = true;
          if (pending === 0) subscriber.complete();
        },
      });
    });
}
