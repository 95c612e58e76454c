/** The Resize attributes that decide which input samples make each output sample. */
export interface ResizeAxisOptions {
  mode: "nearest" | "linear";
  coordinateTransformationMode: string;
  nearestMode: string;
}

/** Coordinate transformation modes we support (those PyTorch and tf2onnx emit for nearest/bilinear). */
export const RESIZE_COORDINATE_MODES = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"];

/**
 * The interpolation matrix of one resized axis: `out × in` row-major, row o holding the weights with which
 * input samples make output sample o (ONNX Resize semantics, opset ≥ 11; `scale` is the given scale, or
 * out/in when sizes were given). Separable 2-D resizing is `A_h · X · A_wᵀ`, so its gradient is
 * `A_hᵀ · dY · A_w`.
 */
export function resizeWeights(inLength: number, outLength: number, scale: number, opts: ResizeAxisOptions): Float64Array {
  const a = new Float64Array(outLength * inLength);
  for (let o = 0; o < outLength; o++) {
    let x: number;
    switch (opts.coordinateTransformationMode) {
      case "half_pixel":
        x = (o + 0.5) / scale - 0.5;
        break;
      case "pytorch_half_pixel":
        x = outLength > 1 ? (o + 0.5) / scale - 0.5 : 0;
        break;
      case "align_corners":
        x = outLength === 1 ? 0 : (o * (inLength - 1)) / (outLength - 1);
        break;
      case "asymmetric":
        x = o / scale;
        break;
      case "tf_half_pixel_for_nn":
        x = (o + 0.5) / scale;
        break;
      default:
        throw new Error(`unsupported coordinate_transformation_mode ${opts.coordinateTransformationMode}`);
    }
    if (opts.mode === "nearest") {
      let i: number;
      switch (opts.nearestMode) {
        case "round_prefer_floor":
          i = x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
          break;
        case "round_prefer_ceil":
          i = Math.round(x);
          break;
        case "floor":
          i = Math.floor(x);
          break;
        case "ceil":
          i = Math.ceil(x);
          break;
        default:
          throw new Error(`unsupported nearest_mode ${opts.nearestMode}`);
      }
      a[o * inLength + Math.min(Math.max(i, 0), inLength - 1)] = 1;
    } else {
      const xc = Math.min(Math.max(x, 0), inLength - 1);
      const i0 = Math.floor(xc);
      const i1 = Math.min(i0 + 1, inLength - 1);
      const t = xc - i0;
      a[o * inLength + i0] += 1 - t;
      a[o * inLength + i1] += t;
    }
  }
  return a;
}
