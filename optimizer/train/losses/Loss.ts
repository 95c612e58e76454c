import type { GraphWriter } from "../GraphWriter.ts";

/**
 * A training loss, appended to the graph as ONNX nodes so that its gradient
 * is built by `buildBackward` together with the network's.
 *
 * Every loss reduces to a float32 scalar (shape `[]`) with PyTorch's default
 * `reduction="mean"`.
 */
export interface Loss {
  /** Short name, e.g. `mse`. */
  readonly kind: string;
  /**
   * Appends the loss of `prediction` against `target` (a float input of the
   * same shape, unless the loss says otherwise) and returns the scalar's name.
   */
  append(w: GraphWriter, prediction: string, target: string): string;
  /** The same loss on the host, in float64 (for reports and tests). */
  compute(prediction: ArrayLike<number>, target: ArrayLike<number>, shape: readonly number[]): number;
}
