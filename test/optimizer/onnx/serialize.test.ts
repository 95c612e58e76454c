import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  DataType,
  GraphBuilder,
  ModelFormatError,
  cloneModel,
  decodeModel,
  encodeModel,
  readModel,
  topologicalSort,
  writeModel,
  type Model,
} from "../../../optimizer/index.ts";
import { Random } from "../../../common/index.ts";
import onnxProto from "onnx-proto";
import { fixturePath } from "../../fixtures/onnxFixtures.ts";

const { onnx } = onnxProto;

function smallNet(seed = 3): Model {
  const b = new GraphBuilder({ seed });
  const x = b.input("input", [1, 3, 16, 16]);
  let y = b.relu(b.batchNorm(b.conv(x, { outChannels: 8, kernel: 3, pad: 1 })));
  const skip = y;
  y = b.leakyRelu(b.conv(y, { outChannels: 8, kernel: 3, pad: 1, groups: 2 }), 0.1);
  y = b.add(y, skip);
  y = b.maxPool(y, { kernel: 2 });
  y = b.clip(y, 0, 6);
  const up = b.resize(y, { scale: 2, mode: "linear" });
  const d = b.convTranspose(y, { outChannels: 4, kernel: 2, stride: 2 });
  y = b.concat([up, d]);
  y = b.avgPool(y, { kernel: 3, stride: 2, pad: 1, ceilMode: true });
  y = b.flatten(b.globalAveragePool(b.sigmoid(y)));
  b.output(b.gemm(y, { outFeatures: 5 }));
  return b.build();
}

async function runOrt(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", input, dims) });
    return out[session.outputNames[0]].data as Float32Array;
  } finally {
    await session.release();
  }
}

function randomInput(n: number, seed: number): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

describe("serialize", () => {
  it("round-trips a built model: same ORT outputs, same initializer bytes and attributes", async () => {
    const model = smallNet();
    const bytes = encodeModel(model);
    const decoded = decodeModel(bytes, "net.onnx");
    const again = encodeModel(decoded);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    expect([...decoded.graph.initializers.keys()]).toEqual([...model.graph.initializers.keys()]);
    for (const [name, t] of model.graph.initializers) {
      const d = decoded.graph.initializers.get(name)!;
      expect(d.dims).toEqual(t.dims);
      expect(
        Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength).equals(
          Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
        ),
      ).toBe(true);
    }
    const lrelu = decoded.graph.nodes.find((n) => n.opType === "LeakyRelu")!;
    expect(lrelu.attributes.alpha).toBeCloseTo(0.1, 6);
    expect(lrelu.attributeTypes!.alpha).toBe("float");
    const input = randomInput(3 * 16 * 16, 1);
    const a = await runOrt(bytes, input, [1, 3, 16, 16]);
    const b = await runOrt(again, input, [1, 3, 16, 16]);
    expect(a.length).toBe(5);
    expect([...b]).toEqual([...a]);
  });

  it("writes and reads files; keeps metadata, opsets, value infos", async () => {
    const model = smallNet();
    model.metadata = { author: "test", note: "ünïcode" };
    model.opsets["com.example"] = 1;
    const firstOut = model.graph.nodes[0].outputs[0];
    model.graph.valueInfo.set(firstOut, { name: firstOut, dataType: DataType.FLOAT, shape: ["batch", 8, null, 16] });
    const dir = mkdtempSync(join(tmpdir(), "onnx-"));
    const path = join(dir, "m.onnx");
    await writeModel(model, path);
    const back = await readModel(path);
    expect(back.metadata).toEqual(model.metadata);
    expect(back.opsets).toEqual(model.opsets);
    expect(back.graph.valueInfo.get(firstOut)!.shape).toEqual(["batch", 8, null, 16]);
    expect(back.graph.inputs).toEqual(model.graph.inputs);
  });

  it("decodes typed data fields and external data; reports missing external files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "onnx-ext-"));
    const ext = new Float32Array([1.5, -2, 3.25, 4, 5, 6]);
    const pad = new Uint8Array(8);
    writeFileSync(join(dir, "weights.bin"), Buffer.concat([pad, Buffer.from(ext.buffer)]));
    const vi = (name: string, elemType: number, dims: number[]) => ({
      name,
      type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
    });
    const proto = {
      irVersion: 8,
      opsetImport: [{ domain: "", version: 18 }],
      graph: {
        name: "g",
        node: [
          { opType: "Add", input: ["x", "f"], output: ["a"] },
          { opType: "Add", input: ["a", "e"], output: ["y"] },
          { opType: "Reshape", input: ["y", "shape"], output: ["z"] },
          { opType: "Cast", input: ["z"], output: ["w"], attribute: [{ name: "to", type: 2, i: 11 }] },
          { opType: "Add", input: ["w", "d"], output: ["out"] },
        ],
        input: [vi("x", 1, [2, 3])],
        output: [vi("out", 11, [6]), vi("i32", 6, [2])],
        initializer: [
          { name: "f", dataType: 1, dims: [2, 3], floatData: [1, 2, 3, 4, 5, 6] },
          { name: "shape", dataType: 7, dims: [1], int64Data: [6] },
          { name: "d", dataType: 11, dims: [6], doubleData: [0.5, 0.25, 0, 0, 0, 1e-300] },
          { name: "i32", dataType: 6, dims: [2], int32Data: [-7, 9] },
          {
            name: "e",
            dataType: 1,
            dims: [2, 3],
            dataLocation: 1,
            externalData: [
              { key: "location", value: "weights.bin" },
              { key: "offset", value: "8" },
              { key: "length", value: "24" },
            ],
          },
        ],
      },
    };
    const bytes = onnx.ModelProto.encode(proto).finish();
    writeFileSync(join(dir, "m.onnx"), bytes);
    const m = await readModel(join(dir, "m.onnx"));
    const init = m.graph.initializers;
    expect([...(init.get("f")!.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...(init.get("shape")!.data as BigInt64Array)]).toEqual([6n]);
    expect([...(init.get("d")!.data as Float64Array)]).toEqual([0.5, 0.25, 0, 0, 0, 1e-300]);
    expect([...(init.get("i32")!.data as Int32Array)]).toEqual([-7, 9]);
    expect([...(init.get("e")!.data as Float32Array)]).toEqual([...ext]);
    // Saved inline, the model runs in ORT and gives x + f + e + d.
    const session = await ort.InferenceSession.create(encodeModel(m));
    const x = new Float32Array([0, 0, 0, 1, 1, 1]);
    const out = (await session.run({ x: new ort.Tensor("float32", x, [2, 3]) })).out.data as Float64Array;
    await session.release();
    expect([...out]).toEqual([1 + 1.5 + 0.5, 2 - 2 + 0.25, 3 + 3.25, 1 + 4 + 4, 1 + 5 + 5, 1 + 6 + 6 + 1e-300]);
    // Without the folder, or with the file missing, the error names tensor and file.
    expect(() => decodeModel(bytes, "mem.onnx")).toThrow(/mem\.onnx: initializer "e" has external data "weights\.bin" but no model folder/);
    const other = mkdtempSync(join(tmpdir(), "onnx-ext2-"));
    writeFileSync(join(other, "m.onnx"), bytes);
    await expect(readModel(join(other, "m.onnx"))).rejects.toThrow(/initializer "e": cannot read external data file .*weights\.bin/);
  });

  it("names unnamed and duplicate-named nodes uniquely", () => {
    const model = smallNet();
    for (const n of model.graph.nodes) if (n.opType === "Relu" || n.opType === "Sigmoid") n.name = "";
    model.graph.nodes[1].name = model.graph.nodes[0].name; // duplicate
    // Bypass validation of the in-memory model: encode and decode.
    const back = decodeModel(encodeModel(model), "x.onnx");
    const names = back.graph.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => n.length > 0)).toBe(true);
  });

  it("cloneModel is deep", () => {
    const model = smallNet();
    const c = cloneModel(model);
    const w = [...c.graph.initializers.values()][0];
    (w.data as Float32Array)[0] += 1;
    c.graph.nodes[0].inputs[0] = "other";
    expect((model.graph.initializers.get(w.name)!.data as Float32Array)[0]).not.toBe((w.data as Float32Array)[0]);
    expect(model.graph.nodes[0].inputs[0]).toBe("input");
  });

  it("topologicalSort orders shuffled nodes and keeps sorted order", () => {
    const model = smallNet();
    const sorted = topologicalSort(model.graph);
    expect(sorted).toEqual(model.graph.nodes);
    model.graph.nodes.reverse();
    const order = topologicalSort(model.graph);
    const seen = new Set<string>(["input", ...model.graph.initializers.keys(), ""]);
    for (const n of order) {
      for (const i of n.inputs) expect(seen.has(i)).toBe(true);
      for (const o of n.outputs) seen.add(o);
    }
  });
});

describe("malformed models", () => {
  const good = encodeModel(smallNet());

  it("rejects an empty file", () => {
    expect(() => decodeModel(new Uint8Array(), "empty.onnx")).toThrow(ModelFormatError);
    expect(() => decodeModel(new Uint8Array(), "empty.onnx")).toThrow(/empty\.onnx: empty file/);
  });

  it("rejects truncated files at many cut points without crashing", () => {
    for (const frac of [0.1, 0.33, 0.5, 0.77, 0.99]) {
      const cut = good.subarray(0, Math.floor(good.length * frac));
      expect(() => decodeModel(cut, "cut.onnx")).toThrow(ModelFormatError);
      expect(() => decodeModel(cut, "cut.onnx")).toThrow(/^cut\.onnx: /);
    }
  });

  it("rejects a truncated PyTorch export, naming the file", () => {
    const bytes = readFileSync(fixturePath("resnet_op11"));
    for (const frac of [0.02, 0.25, 0.5, 0.9, 0.999]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * frac));
      expect(() => decodeModel(cut, "resnet_cut.onnx")).toThrow(/^resnet_cut\.onnx: /);
      expect(() => decodeModel(cut, "resnet_cut.onnx")).toThrow(ModelFormatError);
    }
  });

  it("byte-flipped PyTorch exports either decode to a valid model or fail with ModelFormatError", () => {
    const src = readFileSync(fixturePath("squeezenet_op17"));
    const r = new Random(11);
    let typed = 0;
    for (let k = 0; k < 150; k++) {
      const b = Uint8Array.from(src);
      for (let i = r.int(1, 8); i > 0; i--) b[r.int(0, 1500)] = r.int(0, 255);
      try {
        decodeModel(b, "flipped.onnx");
      } catch (err) {
        expect(err).toBeInstanceOf(ModelFormatError);
        typed++;
      }
    }
    expect(typed).toBeGreaterThan(50);
  });

  it("rejects random bytes", () => {
    const r = new Random(7);
    for (let k = 0; k < 20; k++) {
      const junk = Uint8Array.from({ length: 64 + k * 37 }, () => r.int(0, 255));
      expect(() => decodeModel(junk, "junk.bin")).toThrow(ModelFormatError);
    }
    const text = new TextEncoder().encode("this is not an onnx model at all\n");
    expect(() => decodeModel(text, "notes.txt")).toThrow(/notes\.txt/);
  });

  it("rejects wrong initializer sizes, dangling edges, cycles, duplicate outputs", () => {
    const wrongSize = smallNet();
    const w = [...wrongSize.graph.initializers.values()][0];
    w.dims = [w.dims[0] + 1, ...w.dims.slice(1)];
    expect(() => decodeModel(encodeModel(wrongSize), "w.onnx")).toThrow(/initializer "Conv_0\.weight" holds \d+ values but dims/);

    const dangling = smallNet();
    dangling.graph.nodes[2].inputs[0] = "nowhere";
    expect(() => decodeModel(encodeModel(dangling), "d.onnx")).toThrow(/reads "nowhere", which is no graph input/);

    const cyc = smallNet();
    const n0 = cyc.graph.nodes[0];
    const n1 = cyc.graph.nodes[1];
    n0.inputs[0] = n1.outputs[0];
    cyc.graph.inputs = [];
    expect(() => decodeModel(encodeModel(cyc), "c.onnx")).toThrow(/c\.onnx: graph has a cycle/);

    const dup = smallNet();
    dup.graph.nodes[1].outputs[0] = dup.graph.nodes[0].outputs[0];
    expect(() => decodeModel(encodeModel(dup), "dup.onnx")).toThrow(/produced more than once/);

    const noOut = smallNet();
    noOut.graph.outputs[0].name = "ghost";
    expect(() => decodeModel(encodeModel(noOut), "o.onnx")).toThrow(/graph output "ghost"/);
  });

  it("names the file when it cannot be read", async () => {
    await expect(readModel("/nonexistent/model.onnx")).rejects.toThrow(/\/nonexistent\/model\.onnx: cannot read/);
  });
});
