/**
 * A learning-rate schedule: a pure function of the optimizer step.
 *
 * Schedules live on the host, not in the training graph: the training step
 * takes the learning rate as a scalar input, so changing or replaying a
 * schedule never rebuilds the ONNX model. Because a schedule is a pure
 * function of the step, a resumed run needs only the step count to continue
 * exactly where it stopped.
 */
export interface LrSchedule {
  /** Short name for logs and checkpoints, e.g. `cosine`. */
  readonly kind: string;
  /**
   * Learning rate for optimizer step `step` (0-based: the first update uses `at(0)`).
   * Defined for every non-negative integer step.
   */
  at(step: number): number;
}
