import { describe, it } from "vitest";
import { DataType, type Tensor } from "../../../../optimizer/index.ts";
import { checkGradients } from "../../../fixtures/gradcheck.ts";
import { concat, gather, sliceIndices, transpose } from "../../../fixtures/reference/layout.ts";
import type { Tensor64 } from "../../../fixtures/reference/Tensor64.ts";

const ints = (name: string, values: number[]): Tensor => ({
  name,
  dataType: DataType.INT64,
  dims: [values.length],
  data: BigInt64Array.from(values, (v) => BigInt(v)),
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const reshaped = (t: Tensor64, shape: number[]): Tensor64 => ({ shape, data: t.data });

describe("layout gradients", () => {
  it("Concat along channels", () =>
    checkGradients({
      op: "Concat",
      attributes: { axis: 1 },
      inputs: [
        { name: "a", shape: [2, 3, 2, 2] },
        { name: "b", shape: [2, 1, 2, 2] },
        { name: "c", shape: [2, 2, 2, 2] },
      ],
      reference: (v) => concat([v.a, v.b, v.c], 1),
    }));
  it("Concat along a negative axis, one input constant", () =>
    checkGradients({
      op: "Concat",
      attributes: { axis: -1 },
      inputs: [
        { name: "a", shape: [3, 2] },
        { name: "b", shape: [3, 4] },
      ],
      wrt: ["b"],
      reference: (v) => concat([v.a, v.b], 1),
    }));
  it("Split with sizes; an output outside the loss gets zeros", () =>
    checkGradients({
      op: "Split",
      attributes: { axis: 1 },
      inputs: [{ name: "x", shape: [2, 6, 3] }, ints("split", [1, 3, 2])],
      outputs: 3,
      lossOutputs: [0, 2],
      reference: (v) => [1, 3, 2].map((n, k) => gather(v.x, [range(2), range(n).map((i) => i + [0, 1, 4][k]), range(3)])),
    }));
  it("Split into equal parts (num_outputs)", () =>
    checkGradients({
      op: "Split",
      attributes: { axis: 0, num_outputs: 2 },
      inputs: [{ name: "x", shape: [4, 3] }],
      outputs: 2,
      reference: (v) => [0, 2].map((o) => gather(v.x, [[o, o + 1], range(3)])),
    }));
  const sliceCase = (shape: number[], starts: number[], ends: number[], axes: number[], steps: number[]) =>
    checkGradients({
      op: "Slice",
      inputs: [{ name: "x", shape }, ints("starts", starts), ints("ends", ends), ints("axes", axes), ints("steps", steps)],
      reference: (v) => {
        const ranges = shape.map((d) => range(d));
        axes.forEach((a, k) => {
          const ax = a < 0 ? a + shape.length : a;
          ranges[ax] = sliceIndices(starts[k], ends[k], steps[k], shape[ax]);
        });
        return gather(v.x, ranges);
      },
    });
  it("Slice, unit steps on two axes (crop)", () => sliceCase([2, 3, 6, 5], [1, 1], [5, -1], [2, 3], [1, 1]));
  it("Slice, step 2 and a clamped end", () => sliceCase([3, 8, 4], [1, 0], [100, 3], [1, 2], [2, 1]));
  it("Slice, negative step (reversal) and step 3", () => sliceCase([7, 9], [-1, 1], [-100, 9], [0, 1], [-2, 3]));
  it("Flatten", () =>
    checkGradients({
      op: "Flatten",
      attributes: { axis: 1 },
      inputs: [{ name: "x", shape: [2, 3, 2, 2] }],
      reference: (v) => reshaped(v.x, [2, 12]),
    }));
  it("Reshape", () =>
    checkGradients({
      op: "Reshape",
      inputs: [{ name: "x", shape: [2, 6] }, ints("shape", [3, -1, 2])],
      reference: (v) => reshaped(v.x, [3, 2, 2]),
    }));
  it("Squeeze and Unsqueeze", async () => {
    await checkGradients({
      op: "Squeeze",
      inputs: [{ name: "x", shape: [2, 1, 3] }, ints("axes", [1])],
      reference: (v) => reshaped(v.x, [2, 3]),
    });
    await checkGradients({
      op: "Unsqueeze",
      inputs: [{ name: "x", shape: [2, 3] }, ints("axes", [0, 3])],
      reference: (v) => reshaped(v.x, [1, 2, 3, 1]),
    });
  });
  it("Transpose NCHW → NHWC and default reversal", async () => {
    await checkGradients({
      op: "Transpose",
      attributes: { perm: [0, 2, 3, 1] },
      inputs: [{ name: "x", shape: [2, 3, 4, 2] }],
      reference: (v) => transpose(v.x, [0, 2, 3, 1]),
    });
    await checkGradients({ op: "Transpose", inputs: [{ name: "x", shape: [2, 3, 4] }], reference: (v) => transpose(v.x, [2, 1, 0]) });
  });
});
