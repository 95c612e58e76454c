import { describe, it } from "vitest";
import { DataType, type Tensor } from "../../../../optimizer/index.ts";
import { checkGradients } from "../../../fixtures/gradcheck.ts";
import { resize2d, type ResizeOptions } from "../../../fixtures/reference/resize.ts";

const floats = (name: string, values: number[]): Tensor => ({
  name,
  dataType: DataType.FLOAT,
  dims: [values.length],
  data: Float32Array.from(values),
});
const ints = (name: string, values: number[]): Tensor => ({
  name,
  dataType: DataType.INT64,
  dims: [values.length],
  data: BigInt64Array.from(values, (v) => BigInt(v)),
});

function resizeCase(shape: number[], o: ResizeOptions, by: "scales" | "sizes") {
  const attributes: Record<string, string> = { mode: o.mode, coordinate_transformation_mode: o.coordinateTransformationMode };
  if (o.nearestMode) attributes.nearest_mode = o.nearestMode;
  const scales = o.scales ?? [o.size[0] / shape[2], o.size[1] / shape[3]];
  const inputs =
    by === "scales"
      ? [{ name: "x", shape }, "" as const, floats("scales", [1, 1, ...scales])]
      : [{ name: "x", shape }, "" as const, "" as const, ints("sizes", [shape[0], shape[1], ...o.size])];
  return checkGradients({ op: "Resize", attributes, inputs, reference: (v) => resize2d(v.x, o) });
}

describe("Resize gradient", () => {
  it("nearest ×2, asymmetric/floor (PyTorch Upsample nearest)", () =>
    resizeCase([2, 2, 3, 4], { mode: "nearest", coordinateTransformationMode: "asymmetric", nearestMode: "floor", size: [6, 8] }, "scales"));
  it("nearest to a size, half_pixel/round_prefer_floor (ONNX defaults)", () =>
    resizeCase([1, 2, 4, 5], { mode: "nearest", coordinateTransformationMode: "half_pixel", size: [7, 3] }, "sizes"));
  it("bilinear ×2, pytorch_half_pixel (align_corners=False)", () =>
    resizeCase([2, 2, 3, 4], { mode: "linear", coordinateTransformationMode: "pytorch_half_pixel", size: [6, 8] }, "scales"));
  it("bilinear ×2, half_pixel", () =>
    resizeCase([1, 3, 4, 3], { mode: "linear", coordinateTransformationMode: "half_pixel", size: [8, 6] }, "scales"));
  it("bilinear to a size, align_corners (align_corners=True)", () =>
    resizeCase([1, 2, 4, 5], { mode: "linear", coordinateTransformationMode: "align_corners", size: [7, 9] }, "sizes"));
  it("bilinear downsampling", () =>
    resizeCase([1, 1, 8, 6], { mode: "linear", coordinateTransformationMode: "pytorch_half_pixel", size: [3, 4] }, "sizes"));
});
