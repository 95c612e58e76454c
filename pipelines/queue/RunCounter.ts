import type { RunProgress, RunProgressListener } from "./RunProgress.ts";

/**
 * Counts runs by state for {@link RunProgress}. Several waiters may share one
 * run (the same content hash), so states are counted per id, not per call.
 */
export class RunCounter {
  private readonly state = new Map<string, { running: boolean; waiters: number }>();
  private done = 0;

  constructor(private readonly listener: RunProgressListener | undefined) {}

  queued(id: string): void {
    const s = this.state.get(id);
    if (s) s.waiters++;
    else this.state.set(id, { running: false, waiters: 1 });
    this.report();
  }

  running(id: string, running = true): void {
    const s = this.state.get(id);
    if (!s || s.running === running) return;
    s.running = running;
    this.report();
  }

  finished(id: string): void {
    const s = this.state.get(id);
    if (!s) return;
    if (--s.waiters === 0) this.state.delete(id);
    this.done++;
    this.report();
  }

  /** The current counts. */
  progress(): RunProgress {
    let running = 0;
    let queued = 0;
    for (const s of this.state.values()) {
      if (s.running) running += s.waiters;
      else queued += s.waiters;
    }
    return { queued, running, done: this.done };
  }

  private report(): void {
    this.listener?.(this.progress());
  }
}
