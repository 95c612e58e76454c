/** Where the runs a backend was given stand: queued, running on some worker, done. */
export interface RunProgress {
  /** Runs submitted and not yet started (waiting in the queue). */
  queued: number;
  /** Runs being simulated now, by workers on any machine. */
  running: number;
  /** Runs finished. */
  done: number;
}

/** Receives {@link RunProgress} whenever a run is queued, starts or finishes. */
export type RunProgressListener = (progress: RunProgress) => void;
