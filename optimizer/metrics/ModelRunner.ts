import type { Model } from "../onnx/ir.ts";

/**
 * What the optimizer needs from a neural network: a name and batched
 * inference. `loadModel` (ONNX runtime) and every approximated candidate
 * provide this; tests provide plain functions.
 *
 * Layout: `batch` holds `n` samples back to back in the model's input layout
 * (N×C×H×W, row-major); the result holds `n` samples back to back
 * (N×outputs for regression, N×H×W probabilities or logits for lane masks).
 */
export interface ModelRunner {
  /**
   * Identifies the NN across the optimizer: the key of its error family, of
   * its injection parameters and of its dataset label column (when the
   * dataset names its label columns).
   */
  readonly name: string;
  /** The ONNX IR behind it, when there is one: approximators transform it. */
  readonly model?: Model;
  /** Runs `n` samples; resolves to N×(outputs per sample) floats. */
  run(batch: Float32Array, n: number): Promise<Float32Array>;
}
