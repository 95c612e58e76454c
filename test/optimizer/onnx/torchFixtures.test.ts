import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { decodeModel, encodeModel, readModel } from "../../../optimizer/index.ts";
import { fixtureNames, fixturePath, fixtureReference } from "../../fixtures/onnxFixtures.ts";

async function run(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const out = await s.run({ [s.inputNames[0]]: new ort.Tensor("float32", input, dims) });
    return out[s.outputNames[0]];
  } finally {
    await s.release();
  }
}

describe("PyTorch-exported fixtures", () => {
  const names = fixtureNames();

  it("has the expected fixture set", () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
    const refs = names.map(fixtureReference);
    expect(new Set(refs.map((r) => r.opset))).toEqual(new Set([11, 13, 17]));
    expect(refs.some((r) => r.batchNormNodes)).toBe(true);
  });

  for (const name of names) {
    it(`${name}: load → save reproduces PyTorch outputs and initializer bytes`, async () => {
      const ref = fixtureReference(name);
      const model = await readModel(fixturePath(name));
      expect(model.opsets[""]).toBe(ref.opset);
      const saved = encodeModel(model);
      const input = Float32Array.from(ref.input.data);
      const out = await run(saved, input, ref.input.shape);
      expect([...out.dims]).toEqual(ref.outputs[0].shape);
      const expected = ref.outputs[0].data;
      const got = out.data as Float32Array;
      let maxErr = 0;
      for (let i = 0; i < expected.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - expected[i]));
      expect(maxErr).toBeLessThan(1e-4);
      // Same outputs as the original file in ORT, bit for bit.
      const orig = await run(readFileSync(fixturePath(name)), input, ref.input.shape);
      expect([...got]).toEqual([...(orig.data as Float32Array)]);
      // Re-loading the saved model gives the same initializer bytes.
      const back = decodeModel(saved, `${name} (saved)`);
      for (const [k, t] of model.graph.initializers) {
        const b = back.graph.initializers.get(k)!;
        expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength)).toEqual(
          Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
        );
      }
    });
  }
});
