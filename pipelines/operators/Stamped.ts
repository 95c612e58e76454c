/** A value with the simulated time (s) it describes (for perception: the capture time, not the arrival time). */
export interface Stamped<T> {
  t: number;
  value: T;
}
