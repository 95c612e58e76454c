import { Observable, type OperatorFunction } from "rxjs";
import type { LaneEstimate, LanePostProcessor } from "../gem/LanePostProcessor.ts";
import type { Stamped } from "./Stamped.ts";

/**
 * Lane post-processing stage: each stamped mask becomes a stamped
 * {@link LaneEstimate} (a fresh object, safe to delay). The processor is made
 * on the first mask, when the mask's size (and so the camera model) is known.
 */
export function processLanes(makeProcessor: () => LanePostProcessor): OperatorFunction<Stamped<Uint8Array>, Stamped<LaneEstimate>> {
  return (upstream) =>
    new Observable<Stamped<LaneEstimate>>((subscriber) => {
      let processor: LanePostProcessor | undefined;
      return upstream.subscribe({
        next: (frame) => {
          processor ??= makeProcessor();
          let est: LaneEstimate;
          try {
            est = processor.process(frame.value);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          subscriber.next({ t: frame.t, value: { ...est } });
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
