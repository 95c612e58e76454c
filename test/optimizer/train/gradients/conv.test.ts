import { describe, it } from "vitest";
import { checkGradients } from "../../../fixtures/gradcheck.ts";
import { conv2d, convTranspose2d, type Conv2dOptions } from "../../../fixtures/reference/conv.ts";

type Pads = [number, number, number, number];

function convCase(x: number[], w: number[], bias: boolean, o: Conv2dOptions & { autoPad?: string } = {}) {
  const attributes: Record<string, number[] | number | string> = { kernel_shape: w.slice(2) };
  if (o.strides) attributes.strides = o.strides;
  if (o.pads) attributes.pads = o.pads;
  if (o.dilations) attributes.dilations = o.dilations;
  if (o.group) attributes.group = o.group;
  if (o.autoPad) attributes.auto_pad = o.autoPad;
  return checkGradients({
    op: "Conv",
    attributes,
    inputs: [{ name: "x", shape: x }, { name: "w", shape: w }, ...(bias ? [{ name: "b", shape: [w[0]] }] : [])],
    reference: (v) => conv2d(v.x, v.w, v.b, o),
  });
}

describe("Conv gradient", () => {
  it("3×3, pad 1, bias", () => convCase([2, 3, 6, 5], [4, 3, 3, 3], true, { pads: [1, 1, 1, 1] }));
  it("stride 2 with rows the windows skip, asymmetric pads", () =>
    convCase([2, 2, 8, 7], [3, 2, 3, 2], true, { strides: [2, 3], pads: [1, 0, 0, 1] }));
  it("dilation 2", () => convCase([1, 2, 9, 8], [3, 2, 3, 3], false, { dilations: [2, 2], pads: [2, 2, 2, 2] }));
  it("groups = 2", () => convCase([2, 4, 6, 6], [6, 2, 3, 3], true, { group: 2, pads: [1, 1, 1, 1], strides: [2, 2] }));
  it("depthwise (group = channels)", () => convCase([2, 3, 7, 6], [3, 1, 3, 3], true, { group: 3, pads: [1, 1, 1, 1] }));
  it("depthwise with channel multiplier 2", () => convCase([2, 3, 5, 5], [6, 1, 3, 3], false, { group: 3 }));
  it("1×1 pointwise", () => convCase([2, 5, 4, 3], [4, 5, 1, 1], true));
  it("auto_pad SAME_UPPER, stride 2", () => {
    // SAME_UPPER on 7×6 with k = 3, s = 2: total pad 2 (h) and 1 (w), the odd one at the end.
    const pads: Pads = [1, 0, 1, 1];
    return checkGradients({
      op: "Conv",
      attributes: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: "SAME_UPPER" },
      inputs: [
        { name: "x", shape: [1, 2, 7, 6] },
        { name: "w", shape: [3, 2, 3, 3] },
      ],
      reference: (v) => conv2d(v.x, v.w, undefined, { strides: [2, 2], pads }),
    });
  });
});

describe("ConvTranspose gradient", () => {
  const convT = (x: number[], w: number[], bias: boolean, o: Conv2dOptions & { outputPadding?: [number, number] }) => {
    const attributes: Record<string, number[] | number> = { kernel_shape: w.slice(2) };
    if (o.strides) attributes.strides = o.strides;
    if (o.pads) attributes.pads = o.pads;
    if (o.dilations) attributes.dilations = o.dilations;
    if (o.group) attributes.group = o.group;
    if (o.outputPadding) attributes.output_padding = o.outputPadding;
    return checkGradients({
      op: "ConvTranspose",
      attributes,
      inputs: [{ name: "x", shape: x }, { name: "w", shape: w }, ...(bias ? [{ name: "b", shape: [w[1] * (o.group ?? 1)] }] : [])],
      reference: (v) => convTranspose2d(v.x, v.w, v.b, o),
    });
  };
  it("2×2 stride 2 upsampling with bias (U-Net style)", () => convT([2, 3, 3, 4], [3, 2, 2, 2], true, { strides: [2, 2] }));
  it("3×3 stride 2, pads 1, output_padding 1", () =>
    convT([1, 2, 4, 3], [2, 3, 3, 3], true, { strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] }));
  it("groups = 2, dilation 2", () => convT([2, 4, 3, 3], [4, 1, 3, 3], false, { group: 2, dilations: [2, 2] }));
});
