import { Subscription, type SchedulerAction, type SchedulerLike } from "rxjs";

/**
 * An RxJS scheduler whose clock is the simulation's, not the wall clock.
 *
 * Time is in **milliseconds** of simulated time, the unit every RxJS time
 * operator (`interval`, `delay`, `timer`...) assumes, so those operators run
 * unchanged on simulated time when given this scheduler. Nothing happens until
 * the loop driver calls {@link SimScheduler.advanceTo} after stepping the
 * physics: every action due at or before that time runs, in due-time order
 * (ties in the order they were scheduled), with `now()` equal to the action's
 * due time so periodic work does not drift.
 *
 * Asynchronous work inside the loop (an ONNX session run) is registered with
 * {@link SimScheduler.track}; the driver awaits {@link SimScheduler.settle}
 * before stepping again, so the simulated world waits for the network and a
 * run stays deterministic whatever the machine's speed. Perception latency is
 * modelled explicitly in simulated time instead.
 *
 * Periodic actions reuse their action object (no allocation per tick).
 */
export class SimScheduler implements SchedulerLike {
  private nowMs = 0;
  private seq = 0;
  /** Pending actions sorted by (due, seq); a handful at most, so a sorted array beats a heap. */
  private readonly queue: QueuedAction[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private failure: unknown = undefined;

  /**
   * Slack (ms) when comparing due times with the simulation clock, so that an
   * action due at 100 ms fires at the physics step that lands on
   * 99.99999999 ms after float accumulation.
   */
  static readonly EPSILON_MS = 1e-6;

  /** Current simulated time (ms). */
  now(): number {
    return this.nowMs;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const action = new SimAction<T>(this, work);
    action.schedule(state, delay);
    return action;
  }

  /** Runs every action due at or before `timeMs`, then sets the clock to `timeMs`. */
  advanceTo(timeMs: number): void {
    const limit = timeMs + SimScheduler.EPSILON_MS;
    const q = this.queue;
    while (q.length > 0 && q[0].due <= limit) {
      const action = q.shift()!;
      action.queued = false;
      if (action.due > this.nowMs) this.nowMs = action.due;
      action.run();
    }
    if (timeMs > this.nowMs) this.nowMs = timeMs;
    if (this.failure !== undefined) this.rethrow();
  }

  /** Number of queued actions (for tests and diagnostics). */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Registers asynchronous work the loop must finish before simulated time
   * moves on. Rejections are re-thrown from {@link settle}.
   */
  track(work: Promise<unknown>): void {
    const p = work.then(
      () => {
        this.pending.delete(p);
      },
      (err: unknown) => {
        this.pending.delete(p);
        if (this.failure === undefined) this.failure = err ?? new Error("asynchronous loop work failed");
      },
    );
    this.pending.add(p);
  }

  /** True when tracked asynchronous work is still running. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Waits until all tracked work (including work it schedules) has finished. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
    if (this.failure !== undefined) this.rethrow();
  }

  /** @internal */
  enqueue(action: QueuedAction): void {
    action.seq = this.seq++;
    const q = this.queue;
    let i = q.length;
    while (i > 0 && (q[i - 1].due > action.due || (q[i - 1].due === action.due && q[i - 1].seq > action.seq))) i--;
    q.splice(i, 0, action);
    action.queued = true;
  }

  /** @internal */
  dequeue(action: QueuedAction): void {
    if (!action.queued) return;
    const i = this.queue.indexOf(action);
    if (i >= 0) this.queue.splice(i, 1);
    action.queued = false;
  }

  private rethrow(): never {
    const err = this.failure;
    this.failure = undefined;
    throw err;
  }
}

/** What the scheduler's queue needs of an action, whatever its state type. */
interface QueuedAction {
  due: number;
  seq: number;
  queued: boolean;
  run(): void;
}

/** One scheduled unit of work; rescheduling from inside `work` reuses it. */
class SimAction<T> extends Subscription implements SchedulerAction<T>, QueuedAction {
  due = 0;
  seq = 0;
  queued = false;
  private state: T | undefined = undefined;

  constructor(
    private readonly scheduler: SimScheduler,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super(() => scheduler.dequeue(this));
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    if (!(delay >= 0)) delay = 0;
    this.scheduler.dequeue(this);
    this.state = state;
    this.due = this.scheduler.now() + delay;
    this.scheduler.enqueue(this);
    return this;
  }

  run(): void {
    if (this.closed) return;
    const state = this.state;
    this.work(state);
    // A one-shot action that did not reschedule itself is finished.
    if (!this.queued && !this.closed) this.unsubscribe();
  }
}
