import { describe, it } from "vitest";
import { DataType, type Tensor } from "../../../../optimizer/index.ts";
import { checkGradients } from "../../../fixtures/gradcheck.ts";
import { unary } from "../../../fixtures/reference/elementwise.ts";
import { reduce } from "../../../fixtures/reference/normalization.ts";

const ints = (name: string, values: number[]): Tensor => ({
  name,
  dataType: DataType.INT64,
  dims: [values.length],
  data: BigInt64Array.from(values, (v) => BigInt(v)),
});

describe("reduction gradients", () => {
  it("ReduceSum over all axes (scalar)", () =>
    checkGradients({
      op: "ReduceSum",
      attributes: { keepdims: 0 },
      inputs: [{ name: "x", shape: [2, 3, 4] }],
      reference: (v) => reduce(v.x, [0, 1, 2], false, false),
    }));
  it("ReduceSum over axes, keepdims", () =>
    checkGradients({
      op: "ReduceSum",
      inputs: [{ name: "x", shape: [2, 3, 4] }, ints("axes", [0, 2])],
      reference: (v) => reduce(v.x, [0, 2], true, false),
    }));
  it("ReduceMean over a negative axis without keepdims", () =>
    checkGradients({
      op: "ReduceMean",
      attributes: { keepdims: 0 },
      inputs: [{ name: "x", shape: [2, 3, 4] }, ints("axes", [-1])],
      reference: (v) => reduce(v.x, [2], false, true),
    }));
  it("ReduceMean over N, H, W (BatchNorm statistics)", () =>
    checkGradients({
      op: "ReduceMean",
      inputs: [{ name: "x", shape: [2, 3, 2, 3] }, ints("axes", [0, 2, 3])],
      reference: (v) => reduce(v.x, [0, 2, 3], true, true),
    }));
  it("ReduceSumSquare over N, H, W (BatchNorm variance)", () =>
    checkGradients({
      op: "ReduceSumSquare",
      inputs: [{ name: "x", shape: [2, 3, 2, 3] }, ints("axes", [0, 2, 3])],
      reference: (v) =>
        reduce(
          unary(v.x, (e) => e * e),
          [0, 2, 3],
          true,
          false,
        ),
    }));
});
