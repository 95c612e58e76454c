import { attrInt, attrInts } from "../../onnx/attributes.ts";
import { DataType } from "../../onnx/ir.ts";
import type { GradContext, GradientRule } from "./GradientRule.ts";
import { spatialOutput, windowSlices, windowsOf, type Windows } from "./internal/windows.ts";

/**
 * 2-D max pooling (strides, pads, dilations, ceil_mode; overlapping windows too): each window's gradient goes
 * to its first maximal element, found without MaxPool's slow `Indices` output (measured ~10× slower than the
 * pooling itself) and added back with ScatterElements(reduction="add", opset ≥ 16) — adding, not assigning,
 * so overlapping windows that share a maximum both contribute (the MaxUnpool pitfall). Windows that tile the
 * input (kernel = stride, no padding) take a cheaper mask path (see `tiledMaxPoolGrad`).
 */
export const MaxPool: GradientRule = {
  op: "MaxPool",
  grad(ctx) {
    const { node } = ctx;
    const dy = ctx.outputGrad(0)!;
    if (node.outputs.length > 1 && ctx.outputGrad(1)) ctx.fail("the Indices output is not differentiable");
    if (attrInt(node, "storage_order", 0) !== 0) ctx.fail("storage_order 1 is not supported");
    const x = node.inputs[0];
    const kernel = attrInts(node, "kernel_shape") as [number, number];
    if (!kernel || kernel.length !== 2) ctx.fail("only 2-D max pooling is supported");
    const win = windowsOf(ctx, x, kernel, spatialOutput(ctx));
    const [kh, kw] = kernel;
    const [ho, wo] = win.output;
    const [h, w] = win.input;
    const tiled =
      win.strides[0] === kh &&
      win.strides[1] === kw &&
      win.dilations[0] === 1 &&
      win.dilations[1] === 1 &&
      win.pads.every((p) => p === 0) &&
      ho * kh <= h &&
      wo * kw <= w;
    if (tiled) return [tiledMaxPoolGrad(ctx, x, dy, [kh, kw], [ho, wo], [h, w])];
    return [scatterMaxPoolGrad(ctx, x, dy, win)];
  },
};

/**
 * Windows that tile the input (kernel = stride, no padding): upsample y and dy by nearest-neighbour Resize,
 * mark where x equals its window's maximum, and share dy equally among tied maxima (a valid subgradient; ties
 * are exact-equality events, e.g. all-zero windows after a ReLU, whose gradient the ReLU then drops anyway).
 * A few elementwise passes and no transposes (a 6-D Transpose col2im was the slowest node of a training step).
 */
function tiledMaxPoolGrad(
  ctx: GradContext,
  x: string,
  dy: string,
  kernel: [number, number],
  output: [number, number],
  input: [number, number],
): string {
  const [kh, kw] = kernel;
  const [ho, wo] = output;
  const [h, w] = input;
  const covered = ho * kh !== h || wo * kw !== w;
  const xs = covered ? ctx.op("Slice", [x, ctx.constInt64([0, 0]), ctx.constInt64([ho * kh, wo * kw]), ctx.constInt64([2, 3])]) : x;
  const scales = ctx.constFloat([1, 1, kh, kw], [4]);
  const upsample = (v: string) =>
    ctx.op("Resize", [v, "", scales], { mode: "nearest", coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" });
  const isMax = ctx.op("Cast", [ctx.op("Equal", [xs, upsample(ctx.node.outputs[0])])], { to: DataType.FLOAT });
  // Σ over each window of the mask = number of tied maxima (≥ 1).
  const ties = ctx.op("AveragePool", [isMax], { kernel_shape: kernel, strides: kernel });
  const share = ctx.op("Div", [dy, ctx.op("Mul", [ties, ctx.constFloat([kh * kw], [])])]);
  let g = ctx.op("Mul", [isMax, upsample(share)]);
  if (covered) g = ctx.op("Pad", [g, ctx.constInt64([0, 0, 0, 0, 0, 0, h - ho * kh, w - wo * kw])]);
  return g;
}

/**
 * General windows: for each kernel offset, from last to first, where the strided view equals the pooled
 * maximum y, record the offset's flat distance from the window origin (so the first offset holding the
 * maximum wins, as in ArgMax); add the window origins to get flat positions in H×W, then scatter-add dy there.
 * The per-offset selection is a float Where with scalar branches, measured ~5× faster than with int64 maps.
 */
function scatterMaxPoolGrad(ctx: GradContext, x: string, dy: string, win: Windows): string {
  const y = ctx.node.outputs[0];
  const [kh, kw] = win.kernel;
  const [ho, wo] = win.output;
  const w = win.input[1];
  const [pt, pl] = win.pads;
  const views = windowSlices(ctx, x, win, -Infinity);
  let offset = ctx.constFloat([0], []);
  for (let o = kh * kw - 1; o >= 0; o--) {
    const [i, j] = [Math.floor(o / kw), o % kw];
    const isMax = ctx.op("Equal", [views[o], y]);
    offset = ctx.op("Where", [isMax, ctx.constFloat([i * win.dilations[0] * w + j * win.dilations[1]], []), offset]);
  }
  // Window origins (top-left, in unpadded coordinates; negative inside the padding). Exact in float32 for
  // H·W < 2²⁴.
  const origin = new Float32Array(ho * wo);
  for (let a = 0; a < ho; a++) {
    for (let b = 0; b < wo; b++) origin[a * wo + b] = (a * win.strides[0] - pt) * w + (b * win.strides[1] - pl);
  }
  const position = ctx.op("Cast", [ctx.op("Add", [offset, ctx.constFloat(origin, [ho, wo])])], { to: DataType.INT64 });
  const rows = ctx.constInt64([0, 0, -1]);
  const zeros = ctx.op("ConstantOfShape", [ctx.op("Shape", [ctx.op("Reshape", [x, rows])])], {
    value: { name: "", dataType: DataType.FLOAT, dims: [1], data: new Float32Array(1) },
  });
  const scattered = ctx.op("ScatterElements", [zeros, ctx.op("Reshape", [position, rows]), ctx.op("Reshape", [dy, rows])], {
    axis: 2,
    reduction: "add",
  });
  return ctx.op("Reshape", [scattered, ctx.op("Shape", [x])]);
}
