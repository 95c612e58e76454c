/** Progress of a calibration, reported after every evaluation. */
export interface CalibrationProgress {
  /** Evaluations done so far (including ones replayed from the checkpoint). */
  done: number;
  /** The evaluation budget (`iters`); the search may finish before it. */
  total: number;
  /** Seconds left at the average pace of fresh evaluations if the whole budget is used; undefined before the first fresh one. */
  etaSeconds: number | undefined;
  /** The point just evaluated (metric units, axis order). */
  point: number[];
  pass: boolean;
  /** True when the outcome came from the cache / checkpoint instead of the oracle. */
  cached: boolean;
}

/** Callback receiving {@link CalibrationProgress}; the CLI draws a bar with it. */
export type ProgressListener = (progress: CalibrationProgress) => void;
