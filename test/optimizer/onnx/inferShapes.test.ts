import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import {
  DataType,
  GraphBuilder,
  ModelFormatError,
  UnsupportedOpError,
  cloneModel,
  encodeModel,
  inferShapes,
  int64Tensor,
  readModel,
  type Dim,
  type Model,
} from "../../../optimizer/index.ts";
import { fixtureNames, fixturePath } from "../../fixtures/onnxFixtures.ts";

/** Runs `model` in ORT with every node output exposed; returns actual dims per value. */
async function actualShapes(model: Model, inputDims: Record<string, number[]>): Promise<Map<string, number[]>> {
  const m = cloneModel(model);
  const shapes = inferShapes(m);
  const outNames = new Set(m.graph.outputs.map((o) => o.name));
  for (const n of m.graph.nodes) {
    for (const o of n.outputs) {
      if (!o || outNames.has(o)) continue;
      outNames.add(o);
      m.graph.outputs.push({ name: o, dataType: shapes.get(o)!.dataType });
    }
  }
  const session = await ort.InferenceSession.create(encodeModel(m), { intraOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    const r = new Random(5);
    for (const [name, dims] of Object.entries(inputDims)) {
      const n = dims.reduce((a, b) => a * b, 1);
      feeds[name] = new ort.Tensor(
        "float32",
        Float32Array.from({ length: n }, () => r.normal()),
        dims,
      );
    }
    const out = await session.run(feeds);
    return new Map(Object.entries(out).map(([k, t]) => [k, [...t.dims]]));
  } finally {
    await session.release();
  }
}

function resolveDims(shape: Dim[] | undefined, symbols: Record<string, number>): (number | null)[] | undefined {
  return shape?.map((d) => (typeof d === "string" ? (symbols[d] ?? null) : d));
}

async function expectInferredMatchesOrt(
  model: Model,
  inputDims: Record<string, number[]>,
  symbols: Record<string, number> = {},
  minCompared = 4,
) {
  const inferred = inferShapes(model);
  const actual = await actualShapes(model, inputDims);
  let compared = 0;
  for (const [name, dims] of actual) {
    expect({ name, dims: resolveDims(inferred.get(name)?.shape, symbols) }).toEqual({ name, dims });
    compared++;
  }
  expect(compared).toBeGreaterThanOrEqual(minCompared);
}

describe("inferShapes", () => {
  for (const name of fixtureNames()) {
    it(`${name}: every intermediate shape matches onnxruntime`, async () => {
      const model = await readModel(fixturePath(name));
      const input = model.graph.inputs[0];
      const dynamic = typeof input.shape![0] === "string";
      const dims = input.shape!.map((d) => (typeof d === "number" ? d : 2));
      await expectInferredMatchesOrt(model, { [input.name]: dims }, dynamic ? { [input.shape![0] as string]: 2 } : {});
      // The dynamic-batch Reshape resolves to [batch, features], not unknown.
      if (dynamic) {
        const out = inferShapes(model).get(model.graph.outputs[0].name)!;
        expect(out.shape).toEqual([input.shape![0], 10]);
      }
    });
  }

  it("covers conv/pool attribute variants and tensor ops on a built graph", async () => {
    const b = new GraphBuilder({ seed: 9 });
    const x = b.input("x", [1, 4, 13, 11]);
    const c1 = b.conv(x, { outChannels: 6, kernel: [3, 2], stride: [2, 1], pad: [1, 0, 2, 1], dilation: [1, 2] });
    const same = b.node(
      "Conv",
      [c1, b.constant("w_same", [6, 3, 3, 3], new Float32Array(6 * 27).fill(0.01))],
      { auto_pad: "SAME_UPPER", strides: [2, 2], group: 2 },
      { name: "conv_same" },
    )[0];
    const valid = b.node(
      "Conv",
      [c1, b.constant("w_valid", [2, 6, 3, 3], new Float32Array(2 * 54).fill(0.01))],
      { auto_pad: "VALID", strides: [2, 2] },
      { name: "conv_valid" },
    )[0];
    const mp = b.maxPool(c1, { kernel: 3, stride: 2, pad: 1, ceilMode: true });
    const ap = b.avgPool(c1, { kernel: [2, 3], stride: [2, 2], ceilMode: true, countIncludePad: true });
    const dw = b.conv(mp, { outChannels: 6, kernel: 3, pad: 1, groups: 6 });
    const ct = b.convTranspose(dw, { outChannels: 3, kernel: 3, stride: 2, pad: 1, outputPadding: 1 });
    const up = b.resize(ct, { scale: 2, mode: "nearest" });
    const sizes = b.initializer(int64Tensor("sizes", [4], [1, 3, 7, 9]));
    const rs = b.node("Resize", [up, "", "", sizes], { mode: "linear" }, { name: "resize_sizes" })[0];
    const split = b.node("Split", [rs, b.initializer(int64Tensor("split", [2], [1, 2]))], { axis: 1 }, { outputs: 2 });
    const sl = b.node("Slice", [
      split[1],
      b.initializer(int64Tensor("st", [2], [1, -5])),
      b.initializer(int64Tensor("en", [2], [100, -1])),
      b.initializer(int64Tensor("ax", [2], [2, 3])),
      b.initializer(int64Tensor("sp", [2], [2, 1])),
    ])[0];
    const tr = b.node("Transpose", [sl], { perm: [0, 2, 3, 1] })[0];
    const pad = b.node("Pad", [tr, b.initializer(int64Tensor("pads", [8], [0, 1, 0, 0, 0, 2, 3, 0]))], { mode: "constant" })[0];
    const red = b.node("ReduceMean", [pad, b.initializer(int64Tensor("rax", [1], [2]))], { keepdims: 0 })[0];
    const sm = b.node("Softmax", [red], { axis: -1 })[0];
    const mm = b.node("MatMul", [sm, b.constant("mmw", [2, 5], new Float32Array(10).fill(0.5))])[0];
    const unsq = b.node("Unsqueeze", [mm, b.initializer(int64Tensor("uax", [2], [0, -1]))])[0];
    const sq = b.node("Squeeze", [unsq, b.initializer(int64Tensor("sax", [1], [0]))])[0];
    const fl = b.node("Flatten", [sq], { axis: 2 })[0];
    const ga = b.globalAveragePool(valid);
    const gm = b.node("Gemm", [b.constant("ga", [3, 4], new Float32Array(12).fill(1)), b.constant("gb", [5, 4], new Float32Array(20).fill(1))], {
      transB: 1,
    })[0];
    const lr = b.leakyRelu(same, 0.2);
    for (const o of [fl, ga, gm, lr, ap]) b.output(o);
    const model = b.build();
    for (const o of model.graph.outputs) o.shape = undefined;
    await expectInferredMatchesOrt(model, { x: [1, 4, 13, 11] });
  });

  it("handles the attribute forms of older opsets (Upsample, Slice, Split, Unsqueeze, Squeeze, Pad, ReduceMean)", async () => {
    const b = new GraphBuilder({ seed: 1, opset: 9 });
    const x = b.input("x", [1, 3, 5, 6]);
    const up = b.node("Upsample", [x, b.constant("scales", [4], [1, 1, 2, 1.5])], { mode: "nearest" })[0];
    const sl = b.node("Slice", [up], { starts: [1, 0], ends: [-1, 1000], axes: [2, 3] })[0];
    const sp = b.node("Split", [sl], { axis: 1, split: [2, 1] }, { outputs: 2 });
    const un = b.node("Unsqueeze", [sp[1]], { axes: [0] })[0];
    const sq = b.node("Squeeze", [un], { axes: [0, 2] })[0];
    const pad = b.node("Pad", [sq], { pads: [0, 1, 2, 0, 3, 4], mode: "constant" })[0];
    const red = b.node("ReduceMean", [sp[0]], { axes: [2, 3], keepdims: 1 })[0];
    b.output(pad);
    b.output(red);
    const model = b.build();
    expect(inferShapes(model).get(pad)!.shape).toEqual([1, 8 + 1 + 3, 9 + 2 + 4]);
    await expectInferredMatchesOrt(model, { x: [1, 3, 5, 6] });
    const b7 = new GraphBuilder({ opset: 7 });
    const x7 = b7.input("x", [1, 2, 3, 3]);
    b7.output(b7.node("Upsample", [x7], { scales: [1, 1, 2, 2], mode: "nearest" })[0]);
    const m7 = b7.build();
    expect(inferShapes(m7).get(m7.graph.outputs[0].name)!.shape).toEqual([1, 2, 6, 6]);
    await expectInferredMatchesOrt(m7, { x: [1, 2, 3, 3] }, {}, 1);
  });

  it("resolves Clip bounds given by Constant nodes and Reshape with 0 and -1", () => {
    const b = new GraphBuilder();
    const x = b.input("x", ["N", 2, 6, 4]);
    const lo = b.node("Constant", [], { value: { name: "", dataType: DataType.FLOAT, dims: [], data: new Float32Array([0]) } })[0];
    const hi = b.node("Constant", [], { value_float: 6 })[0];
    const c = b.node("Clip", [x, lo, hi])[0];
    const r = b.node("Reshape", [c, b.initializer(int64Tensor("shape", [3], [0, -1, 4]))])[0];
    b.output(r);
    const shapes = inferShapes(b.build());
    expect(shapes.get(c)!.shape).toEqual(["N", 2, 6, 4]);
    expect(shapes.get(r)!.shape).toEqual(["N", 12, 4]);
  });

  it("names op and node for unsupported ops, and lists supported ones", () => {
    const b = new GraphBuilder({ name: "g" });
    const x = b.input("x", [1, 4]);
    b.output(b.node("LSTM", [x], {}, { name: "my_lstm" })[0]);
    const model = b.build();
    expect(() => inferShapes(model, { where: "net.onnx" })).toThrow(UnsupportedOpError);
    expect(() => inferShapes(model, { where: "net.onnx" })).toThrow(
      /net\.onnx: unsupported op LSTM at node "my_lstm"; supported ops: .*Conv.*Resize/,
    );
  });

  it("reports shape mismatches naming the node", () => {
    const b = new GraphBuilder();
    const x = b.input("x", [1, 3, 8, 8]);
    b.output(b.conv(x, { outChannels: 4, kernel: 3, name: "bad_conv", bias: false }));
    // The builder checks as it goes...
    expect(() => b.conv(x, { outChannels: 4, kernel: 3, groups: 2 })).toThrow(/not divisible by groups/);
    expect(() => b.node("Conv", [x, b.constant("w2", [4, 2, 3, 3], new Float32Array(72))])).toThrow(/input has 3 channels/);
    // ...and inferShapes checks an edited model.
    const model = b.build();
    model.graph.initializers.set("bad_conv.weight", {
      name: "bad_conv.weight",
      dataType: DataType.FLOAT,
      dims: [4, 2, 3, 3],
      data: new Float32Array(72),
    });
    expect(() => inferShapes(model, { where: "m.onnx" })).toThrow(ModelFormatError);
    expect(() => inferShapes(model, { where: "m.onnx" })).toThrow(
      /m\.onnx: node "bad_conv" \(Conv\): input has 3 channels but weight expects 2/,
    );
  });
});
