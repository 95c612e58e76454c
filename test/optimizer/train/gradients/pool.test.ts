import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildBackward, DataType, encodeModel, type Graph } from "../../../../optimizer/index.ts";
import { checkGradients } from "../../../fixtures/gradcheck.ts";
import { averagePool2d, globalAveragePool, maxPool2d, type Pool2dOptions } from "../../../fixtures/reference/pool.ts";

/** Distinct values (a shuffled ramp) so no window has a tie for its maximum. */
function distinct(n: number, seed: number): number[] {
  const v = Array.from({ length: n }, (_, i) => (i - n / 2) / n);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [v[i], v[j]] = [v[j], v[i]];
  }
  return v;
}

function attributesOf(o: Pool2dOptions): Record<string, number[] | number> {
  const a: Record<string, number[] | number> = { kernel_shape: o.kernel };
  if (o.strides) a.strides = o.strides;
  if (o.pads) a.pads = o.pads;
  if (o.dilations) a.dilations = o.dilations;
  if (o.ceilMode) a.ceil_mode = 1;
  if (o.countIncludePad) a.count_include_pad = 1;
  return a;
}

function maxCase(shape: number[], o: Pool2dOptions) {
  const n = shape.reduce((a, b) => a * b, 1);
  return checkGradients({
    op: "MaxPool",
    attributes: attributesOf(o),
    inputs: [{ name: "x", shape, data: distinct(n, 3) }],
    reference: (v) => maxPool2d(v.x, o),
  });
}

describe("MaxPool gradient", () => {
  it("2×2 stride 2 (non-overlapping)", () => maxCase([2, 3, 6, 8], { kernel: [2, 2], strides: [2, 2] }));
  it("2×2 stride 2 on odd sizes (uncovered last row/column)", () => maxCase([1, 2, 7, 5], { kernel: [2, 2], strides: [2, 2] }));
  it("non-overlapping with padding", () => maxCase([1, 2, 5, 5], { kernel: [2, 2], strides: [2, 2], pads: [1, 1, 0, 0] }));
  it("3×3 stride 2 pad 1 (overlapping, ResNet stem)", () => maxCase([2, 2, 7, 8], { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }));
  it("3×3 stride 1 (heavily overlapping)", () => maxCase([1, 2, 5, 6], { kernel: [3, 3] }));
  it("ceil mode", () => maxCase([1, 2, 6, 7], { kernel: [3, 3], strides: [2, 2], ceilMode: true }));
  it("dilation 2", () => maxCase([1, 1, 7, 7], { kernel: [2, 2], dilations: [2, 2] }));

  it("splits dy among tied maxima of a window (2×2 stride 2) and sends none to the others", async () => {
    const graph: Graph = {
      name: "ties",
      nodes: [
        { name: "pool", opType: "MaxPool", domain: "", inputs: ["x"], outputs: ["y"], attributes: { kernel_shape: [2, 2], strides: [2, 2] } },
        { name: "sum", opType: "ReduceSum", domain: "", inputs: ["y"], outputs: ["loss"], attributes: { keepdims: 0 } },
      ],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: [1, 1, 2, 4] }],
      outputs: [{ name: "loss", dataType: DataType.FLOAT, shape: [] }],
      initializers: new Map(),
      valueInfo: new Map([["y", { name: "y", dataType: DataType.FLOAT, shape: [1, 1, 1, 2] }]]),
    };
    const backward = buildBackward(graph, { loss: "loss", wrt: ["x"] });
    graph.nodes.push(...backward.nodes);
    const dx = backward.gradients.get("x")!;
    graph.outputs.push({ name: dx, dataType: DataType.FLOAT });
    const model = { irVersion: 8, opsets: { "": 18 }, producerName: "", producerVersion: "", docString: "", metadata: {}, graph };
    const session = await ort.InferenceSession.create(encodeModel(model), { logSeverityLevel: 3 });
    // Window 1: all four equal; window 2: two tied maxima (3) and two smaller values.
    const x = new Float32Array([0, 0, 3, 1, 0, 0, 2, 3]);
    const out = await session.run({ x: new ort.Tensor("float32", x, [1, 1, 2, 4]) });
    await session.release();
    expect(Array.from(out[dx].data as Float32Array)).toEqual([0.25, 0.25, 0.5, 0, 0.25, 0.25, 0, 0.5]);
  });
});

describe("AveragePool gradient", () => {
  const avgCase = (shape: number[], o: Pool2dOptions) =>
    checkGradients({
      op: "AveragePool",
      attributes: attributesOf(o),
      inputs: [{ name: "x", shape }],
      reference: (v) => averagePool2d(v.x, o),
    });
  it("2×2 stride 2", () => avgCase([2, 3, 6, 4], { kernel: [2, 2], strides: [2, 2] }));
  it("3×3 stride 2 pad 1, padding excluded from the count", () =>
    avgCase([1, 2, 7, 6], { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }));
  it("3×3 stride 1 pad 1, padding counted", () => avgCase([1, 2, 5, 5], { kernel: [3, 3], pads: [1, 1, 1, 1], countIncludePad: true }));
  it("ceil mode", () => avgCase([1, 1, 7, 7], { kernel: [2, 2], strides: [2, 2], ceilMode: true }));
});

describe("GlobalAveragePool gradient", () => {
  it("averages each channel", () =>
    checkGradients({ op: "GlobalAveragePool", inputs: [{ name: "x", shape: [3, 4, 5, 6] }], reference: (v) => globalAveragePool(v.x) }));
});
