import type { Tensor, TensorData } from "../../onnx/ir.ts";

/**
 * A copy of `t` keeping only the indices `keep` (ascending) along `axis`.
 * Works for every tensor data type; the result has a new name only if
 * `name` is given.
 */
export function sliceAxis(t: Tensor, axis: number, keep: ArrayLike<number>, name = t.name): Tensor {
  const dims = t.dims;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i];
  let inner = 1;
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i];
  const n = dims[axis];
  const k = keep.length;
  const src = t.data;
  const dst = new (src.constructor as new (len: number) => TensorData)(outer * k * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const from = (o * n + keep[j]) * inner;
      (dst as Float32Array).set((src as Float32Array).subarray(from, from + inner), (o * k + j) * inner);
    }
  }
  const outDims = [...dims];
  outDims[axis] = k;
  return { name, dataType: t.dataType, dims: outDims, data: dst };
}

/**
 * Per-index sums of |x|^p along `axis` of a float tensor: entry `c` sums all
 * elements whose index on `axis` is `c` (a filter's L1 norm for p = 1).
 */
export function axisNorms(t: Tensor, axis: number, p = 1): Float64Array {
  const dims = t.dims;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= dims[i];
  let inner = 1;
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i];
  const n = dims[axis];
  const out = new Float64Array(n);
  const data = t.data as Float32Array;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < n; c++) {
      const base = (o * n + c) * inner;
      let s = 0;
      if (p === 1) for (let i = 0; i < inner; i++) s += Math.abs(data[base + i]);
      else for (let i = 0; i < inner; i++) s += Math.abs(data[base + i]) ** p;
      out[c] += s;
    }
  }
  return out;
}
