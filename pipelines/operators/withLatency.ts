import { delay, identity, type MonoTypeOperatorFunction, type SchedulerLike } from "rxjs";

/**
 * Delivers each value `seconds` of simulated time after it was emitted: the
 * perception latency (inference plus transport). Values keep their capture
 * stamp, so a consumer such as the EKF can apply them at the time they
 * describe. Zero latency passes values straight through.
 */
export function withLatency<T>(seconds: number, scheduler: SchedulerLike): MonoTypeOperatorFunction<T> {
  if (!(seconds > 0)) return identity;
  return delay<T>(seconds * 1000, scheduler);
}
