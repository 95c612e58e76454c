import { InputError } from "../../common/index.ts";
import type { NnModel } from "../runtime/NnModel.ts";
import type { ModelRunner } from "./ModelRunner.ts";

/**
 * Names a loaded ONNX model so metrics, error families and injections can
 * refer to it. The model must have a single output (N×outputs or N×H×W). A
 * model with a fixed batch dimension is run one sample at a time.
 *
 * @example const heading = asModelRunner("heading", await loadModel("models/heading.onnx"));
 */
export function asModelRunner(name: string, nn: NnModel): ModelRunner & { readonly nn: NnModel } {
  const single = async (input: Float32Array, n: number): Promise<Float32Array> => {
    const out = await nn.run(input, n);
    if (out instanceof Float32Array) return out;
    throw new InputError(
      `model ${name}`,
      `has ${Object.keys(out).length} outputs (${Object.keys(out).join(", ")}); metrics need a single output`,
    );
  };
  return {
    name,
    nn,
    model: nn.model,
    async run(batch: Float32Array, n: number): Promise<Float32Array> {
      if (nn.dynamicBatch || n === 1) return single(batch, n);
      const sampleSize = batch.length / n;
      const parts: Float32Array[] = [];
      for (let i = 0; i < n; i++) parts.push(await single(batch.subarray(i * sampleSize, (i + 1) * sampleSize), 1));
      const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
      let offset = 0;
      for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
      }
      return out;
    },
  };
}
