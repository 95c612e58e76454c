/** Per-channel normalisation applied after scaling bytes to [0, 1]: (x − mean[c]) / std[c], RGB order. */
export interface FramePreprocessing {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * The network input for one camera frame: RGB bytes (H×W×3, row-major, as
 * `renderCamera` returns them) → planar NCHW float32 (batch 1), x/255, then
 * (x − mean[c]) / std[c]. Writes into `target` (3·H·W floats) when given.
 * This is the whole preprocessing of the ONNX perception sources (frames are
 * rendered at the network's input size, so there is no resizing); training
 * code can call it to guarantee the same input.
 */
export function preprocessFrame(rgb: Uint8Array, width: number, height: number, pre: FramePreprocessing, target?: Float32Array): Float32Array {
  const plane = width * height;
  const x = target ?? new Float32Array(3 * plane);
  const s0 = 1 / (255 * pre.std[0]);
  const s1 = 1 / (255 * pre.std[1]);
  const s2 = 1 / (255 * pre.std[2]);
  const o0 = -pre.mean[0] / pre.std[0];
  const o1 = -pre.mean[1] / pre.std[1];
  const o2 = -pre.mean[2] / pre.std[2];
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    x[i] = rgb[j] * s0 + o0;
    x[plane + i] = rgb[j + 1] * s1 + o1;
    x[2 * plane + i] = rgb[j + 2] * s2 + o2;
  }
  return x;
}
