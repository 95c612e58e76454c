import { InputError } from "../../common/index.ts";
import type { NnModel } from "../runtime/NnModel.ts";
import type { ModelRunner } from "./ModelRunner.ts";

/**
 * Names a loaded ONNX model so metrics, error families and injections can
 * refer to it. The model must have a single output (N×outputs or N×H×W).
 *
 * @example const heading = asModelRunner("heading", await loadModel("models/heading.onnx"));
 */
export function asModelRunner(name: string, nn: NnModel): ModelRunner & { readonly nn: NnModel } {
  return {
    name,
    nn,
    model: nn.model,
    async run(batch: Float32Array, n: number): Promise<Float32Array> {
      const out = await nn.run(batch, n);
      if (out instanceof Float32Array) return out;
      throw new InputError(`model ${name}`, `has ${Object.keys(out).length} outputs (${Object.keys(out).join(", ")}); metrics need a single output`);
    },
  };
}
