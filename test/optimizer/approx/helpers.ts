import * as ort from "onnxruntime-node";
import { Random } from "../../../common/index.ts";
import { encodeModel } from "../../../optimizer/onnx/serialize.ts";
import type { Model } from "../../../optimizer/onnx/ir.ts";

/** Runs `model` once in onnxruntime on one input and returns its first output. */
export async function runModel(model: Model, input: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  try {
    const feeds = { [model.graph.inputs[0].name]: new ort.Tensor("float32", input, shape) };
    const out = await session.run(feeds);
    return out[model.graph.outputs[0].name].data as Float32Array;
  } finally {
    await session.release();
  }
}

/** A seeded random input of `shape`. */
export function randomInput(shape: number[], seed = 1): Float32Array {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Largest absolute difference, relative to the largest magnitude of `a` (at least 1). */
export function maxRelDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  let m = 1;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(a[i]));
  }
  return d / m;
}
