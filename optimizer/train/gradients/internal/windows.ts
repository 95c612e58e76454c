import { attrInt, attrInts, attrString } from "../../../onnx/attributes.ts";
import type { GradContext } from "../GradientRule.ts";

/**
 * The sliding-window geometry of a 2-D Conv, ConvTranspose or pooling node, with padding made explicit.
 * All pairs are (height, width).
 */
export interface Windows {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** Explicit padding: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  /** Spatial size of the input that the windows slide over. */
  input: [number, number];
  /** Number of window positions (the Conv/pool output size). */
  output: [number, number];
}

/**
 * Window geometry of `ctx.node` sliding over `x` (NCHW, static spatial size) with kernel `kernel`,
 * producing `outputSize` positions (read from the node's static output shape, which also covers ceil_mode).
 * `auto_pad` is resolved to explicit pads as ONNX defines it.
 */
export function windowsOf(ctx: GradContext, x: string, kernel: [number, number], outputSize: [number, number]): Windows {
  const { node } = ctx;
  const xs = ctx.shape(x);
  if (xs.length !== 4) ctx.fail(`only 2-D (NCHW) inputs are supported, got rank ${xs.length}`);
  const [h, w] = [xs[2], xs[3]];
  if (typeof h !== "number" || typeof w !== "number") ctx.fail(`needs static spatial dimensions of "${x}"`);
  const strides = (attrInts(node, "strides") ?? [1, 1]) as [number, number];
  const dilations = (attrInts(node, "dilations") ?? [1, 1]) as [number, number];
  let pads = (attrInts(node, "pads") ?? [0, 0, 0, 0]) as [number, number, number, number];
  const autoPad = attrString(node, "auto_pad", "NOTSET");
  const input: [number, number] = [h as number, w as number];
  if (autoPad === "VALID") pads = [0, 0, 0, 0];
  else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    pads = [0, 0, 0, 0];
    for (let a = 0; a < 2; a++) {
      const out = Math.ceil(input[a] / strides[a]);
      const total = Math.max(0, (out - 1) * strides[a] + (kernel[a] - 1) * dilations[a] + 1 - input[a]);
      const small = Math.floor(total / 2);
      pads[a] = autoPad === "SAME_UPPER" ? small : total - small;
      pads[a + 2] = total - pads[a];
    }
  } else if (autoPad !== "NOTSET") ctx.fail(`unknown auto_pad "${autoPad}"`);
  return { kernel, strides, dilations, pads, input, output: outputSize };
}

/** The (static) spatial output size of the node's output `i`. */
export function spatialOutput(ctx: GradContext, i = 0): [number, number] {
  const s = ctx.shape(ctx.node.outputs[i]);
  if (s.length !== 4 || typeof s[2] !== "number" || typeof s[3] !== "number") {
    ctx.fail(`needs the static spatial output shape of "${ctx.node.outputs[i]}"`);
  }
  return [s[2] as number, s[3] as number];
}

/** A static channel count (axis 1) of `v`. */
export function channels(ctx: GradContext, v: string): number {
  const c = ctx.shape(v)[1];
  if (typeof c !== "number") ctx.fail(`needs the static channel count of "${v}"`);
  return c as number;
}

/** Group attribute (default 1). */
export function groupOf(ctx: GradContext): number {
  return attrInt(ctx.node, "group", 1);
}

/**
 * The K = kh·kw strided views of `x` [N, C, H, W] that window offset (i, j) reads, each [N, C, Ho, Wo], in
 * offset order i·kw + j: one Slice per offset of the padded input. `padValue` fills the padding (−∞ for max
 * pooling), which is also extended past the end for ceil-mode windows that overhang it.
 */
export function windowSlices(ctx: GradContext, x: string, win: Windows, padValue: number): string[] {
  const [pt, pl, pb, pr] = win.pads;
  const [kh, kw] = win.kernel;
  const [sh, sw] = win.strides;
  const [dh, dw] = win.dilations;
  const [ho, wo] = win.output;
  const extraH = Math.max(0, (ho - 1) * sh + (kh - 1) * dh + 1 - (win.input[0] + pt + pb));
  const extraW = Math.max(0, (wo - 1) * sw + (kw - 1) * dw + 1 - (win.input[1] + pl + pr));
  let padded = x;
  if (pt || pl || pb || pr || extraH || extraW) {
    padded = ctx.op("Pad", [x, ctx.constInt64([0, 0, pt, pl, 0, 0, pb + extraH, pr + extraW]), ctx.constFloat([padValue], [])]);
  }
  const axes = ctx.constInt64([2, 3]);
  const steps = ctx.constInt64([sh, sw]);
  const slices: string[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const starts = [i * dh, j * dw];
      const ends = [i * dh + (ho - 1) * sh + 1, j * dw + (wo - 1) * sw + 1];
      slices.push(ctx.op("Slice", [padded, ctx.constInt64(starts), ctx.constInt64(ends), axes, steps]));
    }
  }
  return slices;
}

/**
 * The adjoint of per-channel window averaging: adds `weight`·values[n, c, ho, wo] to every input element of
 * window (ho, wo), giving [N, C, H, W] from `values` [N, C, Ho, Wo]. A depthwise ConvTranspose with a
 * constant kernel; end pads crop ceil-mode windows past the input, output_padding restores rows no window
 * covered.
 */
export function spreadOverWindows(ctx: GradContext, values: string, win: Windows, c: number, weight = 1): string {
  const [kh, kw] = win.kernel;
  const [pt, pl, pb, pr] = win.pads;
  const kernel = ctx.constFloat(new Float32Array(c * kh * kw).fill(weight), [c, 1, kh, kw]);
  const covered = (a: 0 | 1) => (win.output[a] - 1) * win.strides[a] + (win.kernel[a] - 1) * win.dilations[a] + 1;
  const endPad = [Math.max(pb, covered(0) - pt - win.input[0]), Math.max(pr, covered(1) - pl - win.input[1])];
  const outputPadding = [win.input[0] + pt + endPad[0] - covered(0), win.input[1] + pl + endPad[1] - covered(1)];
  return ctx.op("ConvTranspose", [values, kernel], {
    group: c,
    kernel_shape: [kh, kw],
    strides: win.strides,
    dilations: win.dilations,
    pads: [pt, pl, endPad[0], endPad[1]],
    output_padding: outputPadding,
  });
}
