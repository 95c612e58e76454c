import { describe, expect, it } from "vitest";
import { InputError, Random } from "../../../common/index.ts";
import { GraphBuilder, ModelFormatError, loadModel } from "../../../optimizer/index.ts";
import { fixturePath, fixtureReference } from "../../fixtures/onnxFixtures.ts";

function maxAbsDiff(a: Float32Array, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("loadModel / NnModel", () => {
  it("runs a fixture from its path and matches PyTorch", async () => {
    const name = "unet_bilinear_op11";
    const ref = fixtureReference(name);
    const nn = await loadModel(fixturePath(name));
    try {
      expect(nn.inputName).toBe("input");
      expect(nn.outputNames).toEqual(["output"]);
      expect(nn.inputShape).toEqual([1, 3, 32, 32]);
      expect(nn.dynamicBatch).toBe(false);
      const y = (await nn.run(Float32Array.from(ref.input.data))) as Float32Array;
      expect(y.length).toBe(32 * 32);
      expect(maxAbsDiff(y, ref.outputs[0].data)).toBeLessThan(1e-4);
    } finally {
      await nn.dispose();
    }
  });

  it("runs batches on a dynamic-batch model; each sample equals its single run", async () => {
    const nn = await loadModel(fixturePath("vgg_op13_dynbatch"), { intraOpThreads: 2 });
    try {
      expect(nn.dynamicBatch).toBe(true);
      const per = 3 * 32 * 32;
      const r = new Random(3);
      const batch = Float32Array.from({ length: 3 * per }, () => r.normal());
      const all = (await nn.run(batch, 3)) as Float32Array;
      expect(all.length).toBe(30);
      for (let s = 0; s < 3; s++) {
        const one = (await nn.run(batch.subarray(s * per, (s + 1) * per))) as Float32Array;
        expect(maxAbsDiff(one, all.subarray(s * 10, (s + 1) * 10))).toBeLessThan(1e-5);
      }
    } finally {
      await nn.dispose();
    }
  });

  it("rejects wrong input sizes naming the tensor and expected shape", async () => {
    const nn = await loadModel(fixturePath("resnet_op11"));
    try {
      await expect(nn.run(new Float32Array(10))).rejects.toThrow(InputError);
      await expect(nn.run(new Float32Array(10))).rejects.toThrow(/input "input": expected 3072 values for shape \[1, 3, 32, 32\], got 10/);
      await expect(nn.run(new Float32Array(2 * 3072), 2)).rejects.toThrow(/batch dim is fixed to 1/);
      await expect(nn.runFeeds({ wrong: { data: new Float32Array(1), dims: [1] } })).rejects.toThrow(/input "input".*missing/);
    } finally {
      await nn.dispose();
    }
    await expect(nn.run(new Float32Array(3072))).rejects.toThrow(/disposed/);
  });

  it("runs an in-memory model with several outputs and typed feeds", async () => {
    const b = new GraphBuilder({ seed: 4, name: "two-heads" });
    const x = b.input("x", ["N", 2, 4, 4]);
    const f = b.relu(b.conv(x, { outChannels: 3, kernel: 3, pad: 1 }));
    b.output(b.sigmoid(f));
    b.output(b.flatten(b.globalAveragePool(f)));
    const nn = await loadModel(b.build());
    try {
      const input = new Float32Array(2 * 32).fill(0.5);
      const out = (await nn.run(input, 2)) as Record<string, Float32Array>;
      expect(Object.keys(out)).toEqual(nn.outputNames);
      expect(out[nn.outputNames[0]].length).toBe(2 * 3 * 16);
      expect(out[nn.outputNames[1]].length).toBe(2 * 3);
      const typed = await nn.runFeeds({ x: { data: input, dims: [2, 2, 4, 4] } });
      expect(typed[nn.outputNames[1]].dims).toEqual([2, 3]);
      expect([...typed[nn.outputNames[1]].data]).toEqual([...out[nn.outputNames[1]]]);
    } finally {
      await nn.dispose();
    }
  });

  it("measures latency with sane numbers", async () => {
    const nn = await loadModel(fixturePath("mobilenetv2_op13"));
    try {
      const lat = await nn.measureLatency({ warmup: 3, runs: 21 });
      expect(lat.runs).toBe(21);
      expect(lat.medianMs).toBeGreaterThan(0);
      expect(lat.minMs).toBeLessThanOrEqual(lat.medianMs);
      expect(lat.p90Ms).toBeGreaterThanOrEqual(lat.medianMs);
      expect(lat.medianMs).toBeLessThan(1000);
    } finally {
      await nn.dispose();
    }
  });

  it("reports malformed files and models onnxruntime rejects", async () => {
    await expect(loadModel("/nonexistent/x.onnx")).rejects.toThrow(ModelFormatError);
    const b = new GraphBuilder({ name: "custom" });
    const x = b.input("x", [1, 2]);
    b.output(b.node("NoSuchOp", [x])[0]);
    await expect(loadModel(b.build())).rejects.toThrow(/custom: onnxruntime cannot load the model/);
  });
});
