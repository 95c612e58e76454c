import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import {
  buildBackward,
  DataType,
  encodeModel,
  gradientRegistry,
  registerAllGradients,
  registerGradient,
  toTrainingGraph,
  type Graph,
  type Model,
  type Node,
  type Tensor,
} from "../../../optimizer/index.ts";
import { conv2d } from "../../fixtures/reference/conv.ts";
import { binary, unary } from "../../fixtures/reference/elementwise.ts";
import { gemm } from "../../fixtures/reference/linalg.ts";
import { batchNormTraining } from "../../fixtures/reference/normalization.ts";
import { globalAveragePool } from "../../fixtures/reference/pool.ts";
import type { Tensor64 } from "../../fixtures/reference/Tensor64.ts";

const node = (opType: string, inputs: string[], outputs: string[], attributes: Node["attributes"] = {}): Node => ({
  name: outputs[0],
  opType,
  domain: "",
  inputs,
  outputs,
  attributes,
});
const floatTensor = (name: string, dims: number[], data: ArrayLike<number>): Tensor => ({
  name,
  dataType: DataType.FLOAT,
  dims,
  data: Float32Array.from(data),
});
const model = (graph: Graph): Model => ({
  irVersion: 8,
  opsets: { "": 18 },
  producerName: "",
  producerVersion: "",
  docString: "",
  metadata: {},
  graph,
});

/**
 * A residual CNN with a symbolic batch: conv(3×3) → BN (training mode via toTrainingGraph) → relu → a;
 * a + conv(a) (a feeds two consumers, so its gradient is accumulated) → relu → GAP → flatten → gemm → MSE.
 */
function residualNet(random: Random) {
  const params: Record<string, { dims: number[]; data: Float64Array }> = {};
  const param = (name: string, dims: number[], scale: number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    params[name] = { dims, data: Float64Array.from({ length: n }, () => Math.fround(random.uniform(-scale, scale))) };
  };
  param("w1", [4, 2, 3, 3], 0.5);
  param("b1", [4], 0.1);
  param("gamma", [4], 1);
  param("beta", [4], 0.5);
  param("w2", [4, 4, 3, 3], 0.3);
  param("fc", [2, 4], 0.5);
  param("fcb", [2], 0.1);
  const graph: Graph = {
    name: "residual",
    nodes: [
      node("Conv", ["x", "w1", "b1"], ["c1"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node("BatchNormalization", ["c1", "gamma", "beta", "runMean", "runVar"], ["n1"], { epsilon: 1e-3 }),
      node("Relu", ["n1"], ["a"]),
      node("Conv", ["a", "w2"], ["c2"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node("Add", ["a", "c2"], ["s"]),
      node("Relu", ["s"], ["r"]),
      node("GlobalAveragePool", ["r"], ["g"]),
      node("Flatten", ["g"], ["f"]),
      node("Gemm", ["f", "fc", "fcb"], ["y"], { transB: 1 }),
      node("Sub", ["y", "t"], ["e"]),
      node("Mul", ["e", "e"], ["e2"]),
      node("ReduceMean", ["e2"], ["loss"], { keepdims: 0 }),
    ],
    inputs: [
      { name: "x", dataType: DataType.FLOAT, shape: ["N", 2, 5, 6] },
      { name: "t", dataType: DataType.FLOAT, shape: ["N", 2] },
    ],
    outputs: [{ name: "loss", dataType: DataType.FLOAT, shape: [] }],
    initializers: new Map([
      ...Object.entries(params).map(([k, p]) => [k, floatTensor(k, p.dims, p.data)] as const),
      ["runMean", floatTensor("runMean", [4], [0, 0, 0, 0])],
      ["runVar", floatTensor("runVar", [4], [1, 1, 1, 1])],
    ]),
    valueInfo: new Map(),
  };
  const shapes: Record<string, (string | number)[]> = {
    c1: ["N", 4, 5, 6],
    n1: ["N", 4, 5, 6],
    a: ["N", 4, 5, 6],
    c2: ["N", 4, 5, 6],
    s: ["N", 4, 5, 6],
    r: ["N", 4, 5, 6],
    g: ["N", 4, 1, 1],
    f: ["N", 4],
    y: ["N", 2],
    e: ["N", 2],
    e2: ["N", 2],
    loss: [],
  };
  for (const [name, shape] of Object.entries(shapes)) graph.valueInfo.set(name, { name, dataType: DataType.FLOAT, shape });
  const forward = (p: Record<string, Tensor64>, x: Tensor64, t: Tensor64): number => {
    const relu = (v: Tensor64) => unary(v, (e) => Math.max(e, 0));
    const a = relu(batchNormTraining(conv2d(x, p.w1, p.b1, { pads: [1, 1, 1, 1] }), p.gamma, p.beta, Math.fround(1e-3)).y);
    const r = relu(binary(a, conv2d(a, p.w2, undefined, { pads: [1, 1, 1, 1] }), (u, v) => u + v));
    const g = globalAveragePool(r);
    const y = gemm({ shape: [x.shape[0], 4], data: g.data }, p.fc, p.fcb, { transB: true });
    let s = 0;
    for (let i = 0; i < y.data.length; i++) s += (y.data[i] - t.data[i]) ** 2;
    return s / y.data.length;
  };
  return { graph, params, forward };
}

async function run(graph: Graph, feeds: Record<string, { dims: number[]; data: Float32Array }>) {
  const session = await ort.InferenceSession.create(encodeModel(model(graph)), { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor("float32", v.data, v.dims)])));
  await session.release();
  return out;
}

describe("buildBackward", () => {
  it("differentiates a residual CNN (accumulated gradients, symbolic batch) to finite-difference accuracy", async () => {
    const random = new Random(3);
    const { graph, params, forward } = residualNet(random);
    const batch = 3;
    const x = { shape: [batch, 2, 5, 6], data: Float64Array.from({ length: batch * 60 }, () => Math.fround(random.uniform(-1, 1))) };
    const t = { shape: [batch, 2], data: Float64Array.from({ length: batch * 2 }, () => Math.fround(random.uniform(-1, 1))) };
    const wrt = Object.keys(params);
    const training = toTrainingGraph(graph);
    expect([...training.runningStatUpdates.keys()].sort()).toEqual(["runMean", "runVar"]);
    const trainGraph = training.graph;
    const backward = buildBackward(trainGraph, { loss: "loss", wrt });
    // "a" feeds Conv and Add, "e" both inputs of Mul: each gets its contributions summed once.
    const sums = backward.nodes.filter((n) => n.opType === "Sum").map((n) => n.outputs[0]);
    expect(sums).toContain("a.grad");
    expect(sums).toContain("e.grad");
    expect(new Set(sums).size).toBe(sums.length);
    trainGraph.nodes.push(...backward.nodes);
    trainGraph.outputs.push(...wrt.map((w) => ({ name: backward.gradients.get(w)!, dataType: DataType.FLOAT })));
    const out = await run(trainGraph, {
      x: { dims: x.shape, data: Float32Array.from(x.data) },
      t: { dims: t.shape, data: Float32Array.from(t.data) },
    });
    const p64 = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, { shape: v.dims, data: v.data }]));
    expect((out.loss.data as Float32Array)[0]).toBeCloseTo(forward(p64, x, t), 5);
    const h = 1e-6;
    for (const w of wrt) {
      const got = out[backward.gradients.get(w)!].data as Float32Array;
      const base = params[w].data;
      let maxErr = 0;
      let maxFd = 0;
      for (let e = 0; e < base.length; e++) {
        const probe = base.slice();
        probe[e] += h;
        const plus = forward({ ...p64, [w]: { shape: params[w].dims, data: probe } }, x, t);
        probe[e] -= 2 * h;
        const minus = forward({ ...p64, [w]: { shape: params[w].dims, data: probe } }, x, t);
        const fd = (plus - minus) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - got[e]));
        maxFd = Math.max(maxFd, Math.abs(fd));
      }
      // BN cancels the conv bias b1, whose true gradient is 0: compare against a floor, not against 0.
      expect(maxErr / Math.max(maxFd, 1e-4), `d loss / d ${w}`).toBeLessThan(1e-3);
    }
  });

  it("gives every generated node and value a name not used in the graph", () => {
    const { graph, params } = residualNet(new Random(1));
    // Occupy names the builder would pick first.
    graph.valueInfo.set("c1.grad.ConvTranspose", { name: "c1.grad.ConvTranspose", dataType: DataType.FLOAT });
    graph.nodes.push(node("Identity", ["loss"], ["a.grad"]));
    const backward = buildBackward(graph, { loss: "loss", wrt: Object.keys(params) });
    const existing = new Set([...graph.nodes.flatMap((n) => [n.name, ...n.outputs]), ...graph.valueInfo.keys()]);
    const generated = backward.nodes.flatMap((n) => [...new Set([n.name, ...n.outputs])]);
    expect(new Set(generated).size).toBe(generated.length);
    for (const name of generated) expect(existing.has(name), name).toBe(false);
  });

  it("stops at shape computations (PyTorch's Shape → Gather → Concat → Reshape flatten)", async () => {
    const int64 = (name: string, values: number[], dims = [values.length]): Tensor => ({
      name,
      dataType: DataType.INT64,
      dims,
      data: BigInt64Array.from(values, (v) => BigInt(v)),
    });
    const graph: Graph = {
      name: "flatten",
      nodes: [
        node("Mul", ["x", "w"], ["h"]),
        node("Shape", ["h"], ["hs"]),
        node("Gather", ["hs", "zero"], ["n"], { axis: 0 }),
        node("Unsqueeze", ["n", "axes0"], ["n1"]),
        node("Concat", ["n1", "minus1"], ["target"], { axis: 0 }),
        node("Reshape", ["h", "target"], ["f"]),
        node("ReduceSum", ["f"], ["loss"], { keepdims: 0 }),
      ],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: [2, 3, 2] }],
      outputs: [{ name: "loss", dataType: DataType.FLOAT, shape: [] }],
      initializers: new Map([
        ["w", floatTensor("w", [3, 1], [1, 2, 3])],
        ["zero", int64("zero", [0], [])],
        ["axes0", int64("axes0", [0])],
        ["minus1", int64("minus1", [-1])],
      ]),
      valueInfo: new Map([
        ["h", { name: "h", dataType: DataType.FLOAT, shape: [2, 3, 2] }],
        ["f", { name: "f", dataType: DataType.FLOAT, shape: [2, 6] }],
      ]),
    };
    const backward = buildBackward(graph, { loss: "loss", wrt: ["w"] });
    expect(backward.nodes.some((n) => n.opType === "Gather")).toBe(false);
    graph.nodes.push(...backward.nodes);
    graph.outputs.push({ name: backward.gradients.get("w")!, dataType: DataType.FLOAT });
    const x = Float32Array.from({ length: 12 }, (_, i) => i);
    const out = await run(graph, { x: { dims: [2, 3, 2], data: x } });
    // d/dw_c Σ x·w = Σ over the elements in row c.
    const want = [0, 1, 2].map((c) => [0, 1].reduce((s, n) => s + x[n * 6 + c * 2] + x[n * 6 + c * 2 + 1], 0));
    expect(Array.from(out[backward.gradients.get("w")!].data as Float32Array)).toEqual(want);
  });

  it("returns zeros for a wrt value the loss does not depend on", async () => {
    const graph: Graph = {
      name: "detached",
      nodes: [node("Mul", ["x", "a"], ["y"]), node("ReduceSum", ["y"], ["loss"], { keepdims: 0 }), node("Relu", ["b"], ["unused"])],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: [2] }],
      outputs: [{ name: "loss", dataType: DataType.FLOAT, shape: [] }],
      initializers: new Map([
        ["a", floatTensor("a", [2], [1, 2])],
        ["b", floatTensor("b", [3], [1, 2, 3])],
      ]),
      valueInfo: new Map([["y", { name: "y", dataType: DataType.FLOAT, shape: [2] }]]),
    };
    const backward = buildBackward(graph, { loss: "loss", wrt: ["a", "b"] });
    graph.nodes.push(...backward.nodes);
    graph.outputs.push(...["a", "b"].map((w) => ({ name: backward.gradients.get(w)!, dataType: DataType.FLOAT })));
    const out = await run(graph, { x: { dims: [2], data: new Float32Array([5, 7]) } });
    expect(Array.from(out[backward.gradients.get("a")!].data as Float32Array)).toEqual([5, 7]);
    expect(Array.from(out[backward.gradients.get("b")!].data as Float32Array)).toEqual([0, 0, 0]);
  });

  it("names the op and node when an op on the path has no rule", () => {
    const graph: Graph = {
      name: "g",
      nodes: [node("Erf", ["x"], ["e"]), node("ReduceSum", ["e"], ["loss"], { keepdims: 0 })],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: [2] }],
      outputs: [],
      initializers: new Map(),
      valueInfo: new Map(),
    };
    expect(() => buildBackward(graph, { loss: "loss", wrt: ["x"] })).toThrow(/Erf.*"e".*no gradient rule.*Conv/);
  });

  it("rejects unknown loss and wrt names", () => {
    const { graph } = residualNet(new Random(1));
    expect(() => buildBackward(graph, { loss: "nope", wrt: ["w1"] })).toThrow(/loss.*"nope"/);
    expect(() => buildBackward(graph, { loss: "loss", wrt: ["c1"] })).toThrow(/"c1" is neither an initializer nor an input/);
  });

  it("fails with the node's name when a needed shape is unknown", () => {
    const { graph, params } = residualNet(new Random(1));
    graph.valueInfo.delete("c1");
    expect(() => buildBackward(graph, { loss: "loss", wrt: Object.keys(params) })).toThrow(
      /BatchNormalization node "n1".*shape of "c1" is unknown/,
    );
  });
});

describe("gradient registry", () => {
  it("covers the ops CNN training needs", () => {
    const ops = [...gradientRegistry().keys()];
    for (const op of [
      "Conv",
      "ConvTranspose",
      "MaxPool",
      "AveragePool",
      "GlobalAveragePool",
      "Relu",
      "Gemm",
      "MatMul",
      "Resize",
      "Concat",
      "Slice",
      "Split",
    ]) {
      expect(ops).toContain(op);
    }
  });

  it("throws when an op is registered twice", () => {
    const registry = registerAllGradients();
    expect(() => registerGradient(registry, registry.get("Relu")!)).toThrow(/Relu registered twice/);
    expect(() => registerAllGradients(registry)).toThrow(/registered twice/);
  });

  it("lets a custom rule be used for an op without a shipped rule", async () => {
    const rules = registerAllGradients();
    registerGradient(rules, { op: "Erf", grad: (ctx) => [ctx.op("Mul", [ctx.outputGrad(0)!, ctx.constFloat([2], [])])] });
    const graph: Graph = {
      name: "g",
      nodes: [node("Erf", ["x"], ["e"]), node("ReduceSum", ["e"], ["loss"], { keepdims: 0 })],
      inputs: [{ name: "x", dataType: DataType.FLOAT, shape: [2] }],
      outputs: [],
      initializers: new Map(),
      valueInfo: new Map([["e", { name: "e", dataType: DataType.FLOAT, shape: [2] }]]),
    };
    const backward = buildBackward(graph, { loss: "loss", wrt: ["x"], rules });
    graph.nodes.push(...backward.nodes);
    graph.outputs.push({ name: backward.gradients.get("x")!, dataType: DataType.FLOAT });
    const out = await run(graph, { x: { dims: [2], data: new Float32Array([0.1, 0.2]) } });
    expect(Array.from(out[backward.gradients.get("x")!].data as Float32Array)).toEqual([2, 2]);
  });
});
