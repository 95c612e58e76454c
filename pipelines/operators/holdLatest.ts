import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from "rxjs";

/**
 * Re-emits the most recent upstream value every `seconds` of (scheduler)
 * time, starting at subscription: a controller's fixed rate, fed by sensors
 * or estimators running at other rates. Nothing is emitted before the first
 * value arrives; the same value is emitted again if nothing new came (a
 * zero-order hold). Completes when the upstream completes.
 */
export function holdLatest<T>(seconds: number, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> {
  const period = seconds * 1000;
  return (upstream) =>
    new Observable<T>((subscriber) => {
      let has = false;
      let latest: T | undefined;
      const sub = upstream.subscribe({
        next: (v) => {
          has = true;
          latest = v;
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      sub.add(
        scheduler.schedule(function () {
          if (subscriber.closed) return;
          if (has) subscriber.next(latest as T);
          this.schedule(undefined, period);
        }, 0),
      );
      return sub;
    });
}
