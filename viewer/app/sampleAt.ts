/** Index of the last sample at or before `t` in ascending times (0 when `t` precedes them all). */
export function indexAt(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0 || t <= times[0]) return 0;
  if (t >= times[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Linear interpolation of `values` at `t` (held at the ends); angles are interpolated the short way round. */
export function interpolate(times: readonly number[], values: readonly number[], t: number, angle = false): number {
  const i = indexAt(times, t);
  if (i >= times.length - 1 || t <= times[i]) return values[i];
  const f = (t - times[i]) / (times[i + 1] - times[i]);
  let d = values[i + 1] - values[i];
  if (angle) d = Math.atan2(Math.sin(d), Math.cos(d));
  return values[i] + f * d;
}
