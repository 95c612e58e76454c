import { describe, it } from "vitest";
import { DataType } from "../../../../optimizer/index.ts";
import { checkGradients, type FloatInput } from "../../../fixtures/gradcheck.ts";
import { binary, unary } from "../../../fixtures/reference/elementwise.ts";
import { softmax } from "../../../fixtures/reference/normalization.ts";
import type { Tensor64 } from "../../../fixtures/reference/Tensor64.ts";

/** Values in ±[0.1, 1.1): at least 0.1 away from the kinks at 0. */
function awayFromZero(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (0.1 + ((i * 0.37) % 1)));
}

const x: FloatInput = { name: "x", shape: [2, 3, 4], data: awayFromZero(24) };
const positive: FloatInput = { name: "x", shape: [2, 3, 4], data: Array.from({ length: 24 }, (_, i) => 0.2 + ((i * 0.41) % 2)) };
const scalar = (name: string, v: number) => ({ name, dataType: DataType.FLOAT, dims: [], data: new Float32Array([v]) });

function unaryCase(op: string, f: (v: number) => number, input: FloatInput = x, attributes = {}) {
  return checkGradients({ op, attributes, inputs: [input], reference: (v) => unary(v.x, f) });
}

describe("activation and elementwise gradients", () => {
  it("Relu", () => unaryCase("Relu", (v) => Math.max(v, 0)));
  it("LeakyRelu", () => unaryCase("LeakyRelu", (v) => (v > 0 ? v : 0.2 * v), x, { alpha: 0.2 }));
  it("Sigmoid", () => unaryCase("Sigmoid", (v) => 1 / (1 + Math.exp(-v))));
  it("Tanh", () => unaryCase("Tanh", Math.tanh));
  it("Clip (ReLU6-style constant bounds)", () =>
    checkGradients({
      op: "Clip",
      inputs: [{ name: "x", shape: [30], data: Array.from({ length: 30 }, (_, i) => -1.05 + i * 0.1) }, scalar("lo", -0.5), scalar("hi", 0.5)],
      reference: (v) => unary(v.x, (e) => Math.min(Math.max(e, -0.5), 0.5)),
    }));
  it("Clip with only a lower bound", () =>
    checkGradients({
      op: "Clip",
      inputs: [{ name: "x", shape: [2, 3, 4], data: awayFromZero(24) }, scalar("lo", 0)],
      reference: (v) => unary(v.x, (e) => Math.max(e, 0)),
    }));
  it("Neg", () => unaryCase("Neg", (v) => -v));
  it("Abs", () => unaryCase("Abs", Math.abs));
  it("Exp", () => unaryCase("Exp", Math.exp));
  it("Log", () => unaryCase("Log", Math.log, positive));
  it("Sqrt", () => unaryCase("Sqrt", Math.sqrt, positive));
  it("Reciprocal", () => unaryCase("Reciprocal", (v) => 1 / v, positive));
  it("Softplus", () => unaryCase("Softplus", (v) => Math.log1p(Math.exp(v))));
  it("Pow with a constant exponent", () =>
    checkGradients({ op: "Pow", inputs: [positive, scalar("p", 2.5)], reference: (v) => unary(v.x, (e) => e ** 2.5) }));
  it("Pow with respect to base and exponent", () =>
    checkGradients({
      op: "Pow",
      inputs: [positive, { name: "p", shape: [4], data: [0.5, 1.5, 2, 3] }],
      reference: (v) => binary(v.x, v.p, (a, b) => a ** b),
    }));
  it("Softmax over the last axis", () =>
    checkGradients({ op: "Softmax", inputs: [{ name: "x", shape: [3, 5] }], reference: (v) => softmax(v.x, -1) }));
  it("Softmax over the channel axis of NCHW", () =>
    checkGradients({ op: "Softmax", attributes: { axis: 1 }, inputs: [{ name: "x", shape: [2, 3, 2, 2] }], reference: (v) => softmax(v.x, 1) }));
  it("LogSoftmax", () => checkGradients({ op: "LogSoftmax", inputs: [{ name: "x", shape: [4, 6] }], reference: (v) => softmax(v.x, -1, true) }));
  it("Identity", () => unaryCase("Identity", (v) => v));
  it("Dropout in inference form is the identity", () =>
    checkGradients({ op: "Dropout", inputs: [x, scalar("ratio", 0.5)], reference: (v) => v.x }));
});

describe("broadcasting arithmetic gradients", () => {
  const pair = (op: string, a: number[], b: number[], f: (p: number, q: number) => number, bData?: number[]) =>
    checkGradients({
      op,
      inputs: [
        { name: "a", shape: a },
        { name: "b", shape: b, data: bData },
      ],
      reference: (v: Record<string, Tensor64>) => binary(v.a, v.b, f),
    });
  it("Add, same shapes", () => pair("Add", [2, 3, 4], [2, 3, 4], (p, q) => p + q));
  it("Add, per-channel bias [1, C, 1, 1]", () => pair("Add", [2, 3, 4, 2], [1, 3, 1, 1], (p, q) => p + q));
  it("Add, lower-rank operand [C, 1, 1]", () => pair("Add", [2, 3, 2, 2], [3, 1, 1], (p, q) => p + q));
  it("Sub, broadcast both ways", () => pair("Sub", [2, 1, 4], [3, 1], (p, q) => p - q));
  it("Mul, broadcast scalar", () => pair("Mul", [2, 3, 4], [], (p, q) => p * q));
  it("Mul, broadcast row", () => pair("Mul", [3, 4], [4], (p, q) => p * q));
  it("Div, broadcast divisor", () => pair("Div", [2, 3, 4], [3, 1], (p, q) => p / q, [0.5, -0.7, 1.3]));
  it("Sum of three, broadcasting", () =>
    checkGradients({
      op: "Sum",
      inputs: [
        { name: "a", shape: [2, 3] },
        { name: "b", shape: [3] },
        { name: "c", shape: [2, 1] },
      ],
      reference: (v) =>
        binary(
          binary(v.a, v.b, (p, q) => p + q),
          v.c,
          (p, q) => p + q,
        ),
    }));
  it("Where: each branch gets its part", () => {
    const cond = Uint8Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    return checkGradients({
      op: "Where",
      inputs: [
        { name: "cond", dataType: DataType.BOOL, dims: [3, 4], data: cond },
        { name: "a", shape: [3, 4] },
        { name: "b", shape: [4] },
      ],
      reference: (v) => {
        const out = binary(v.a, v.b, (p, q) => q);
        for (let i = 0; i < 12; i++) if (cond[i]) out.data[i] = v.a.data[i];
        return out;
      },
    });
  });
  it("Expand", () =>
    checkGradients({
      op: "Expand",
      inputs: [
        { name: "x", shape: [3, 1] },
        { name: "shape", dataType: DataType.INT64, dims: [3], data: BigInt64Array.from([2n, 3n, 4n]) },
      ],
      reference: (v) => binary(v.x, { shape: [2, 3, 4], data: new Float64Array(24) }, (p) => p),
    }));
});
