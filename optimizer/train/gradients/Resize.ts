import { attrInt, attrInts, attrString } from "../../onnx/attributes.ts";
import { tensorToNumbers } from "../../onnx/tensor.ts";
import type { GradContext, GradientRule } from "./GradientRule.ts";
import { RESIZE_COORDINATE_MODES, resizeWeights } from "./internal/resizeWeights.ts";

/**
 * Resize of the spatial axes of an NCHW tensor, modes nearest and linear (bilinear), with the coordinate
 * transformations PyTorch exports (half_pixel / pytorch_half_pixel for align_corners=False, align_corners,
 * asymmetric for nearest). Resizing is separable and linear, Y = A_h·X·A_wᵀ per image and channel, so
 * dX = A_hᵀ·dY·A_w: two MatMuls with interpolation matrices computed here from the static shapes.
 */
export const Resize: GradientRule = {
  op: "Resize",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    const x = node.inputs[0];
    const mode = attrString(node, "mode", "nearest");
    if (mode !== "nearest" && mode !== "linear") ctx.fail(`mode ${mode} is not supported (nearest, linear)`);
    const ctm = attrString(node, "coordinate_transformation_mode", "half_pixel");
    if (!RESIZE_COORDINATE_MODES.includes(ctm)) {
      ctx.fail(`coordinate_transformation_mode ${ctm} is not supported (${RESIZE_COORDINATE_MODES.join(", ")})`);
    }
    if (attrInt(node, "antialias", 0) !== 0) ctx.fail("antialias is not supported");
    if (attrInts(node, "axes")) ctx.fail("the axes attribute is not supported");
    const xs = ctx.staticShape(x);
    const ys = ctx.staticShape(node.outputs[0]);
    if (xs.length !== 4) ctx.fail("only 4-D (NCHW) inputs are supported");
    if (xs[0] !== ys[0] || xs[1] !== ys[1]) ctx.fail("only the spatial axes may be resized");
    const scales = scalesOf(ctx, xs, ys);
    const nearestMode = attrString(node, "nearest_mode", "round_prefer_floor");
    if (mode === "nearest" && !NEAREST_MODES.includes(nearestMode)) ctx.fail(`nearest_mode ${nearestMode} is not supported`);
    const opts = { mode: mode as "nearest" | "linear", coordinateTransformationMode: ctm, nearestMode };
    let g = dy;
    if (xs[3] !== ys[3] || scales[3] !== 1) {
      const aw = resizeWeights(xs[3], ys[3], scales[3], opts); // [Wo, Wi]
      g = ctx.op("MatMul", [g, ctx.constFloat(aw, [ys[3], xs[3]])]);
    }
    if (xs[2] !== ys[2] || scales[2] !== 1) {
      const ah = resizeWeights(xs[2], ys[2], scales[2], opts); // [Ho, Hi]
      g = ctx.op("MatMul", [ctx.constFloat(transpose(ah, ys[2], xs[2]), [xs[2], ys[2]]), g]);
    }
    return [g];
  },
};

const NEAREST_MODES = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];

/** The per-axis scales Resize used: the constant `scales` input, else output/input sizes. */
function scalesOf(ctx: GradContext, xs: number[], ys: number[]): number[] {
  const name = ctx.node.inputs[2];
  if (name) {
    const t = ctx.constantValue(name);
    if (!t) ctx.fail("the scales input must be a constant");
    const values = tensorToNumbers(t!);
    if (values.length === xs.length) return values;
    if (values.length !== 0) ctx.fail(`scales has ${values.length} entries for a rank-${xs.length} input`);
  }
  return xs.map((d, a) => ys[a] / d);
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
  return t;
}
