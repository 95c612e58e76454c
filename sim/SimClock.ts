/**
 * Simulated time as an integer step count times a fixed step, so that time
 * never accumulates rounding error and the same step index always maps to the
 * same time, bit for bit. Never reads the wall clock.
 */
export class SimClock {
  private steps = 0;

  /** @param dt fixed step (s). */
  constructor(readonly dt: number) {}

  /** Simulated seconds since the start. */
  get time(): number {
    return this.steps * this.dt;
  }

  /** Number of steps taken. */
  get stepCount(): number {
    return this.steps;
  }

  /** Advances one step and returns the new time. */
  tick(): number {
    this.steps++;
    return this.steps * this.dt;
  }
}
