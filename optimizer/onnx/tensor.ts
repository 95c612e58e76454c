import { DataType, type Tensor, type TensorData } from "./ir.ts";

/** Product of `dims` (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Bytes per element of a supported data type. */
export function elementSize(dataType: DataType): number {
  switch (dataType) {
    case DataType.FLOAT:
    case DataType.INT32:
      return 4;
    case DataType.INT64:
    case DataType.DOUBLE:
      return 8;
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.BOOL:
      return 1;
  }
}

/** The data types the IR holds; others are rejected when loading. */
export const SUPPORTED_DATA_TYPES: readonly DataType[] = Object.values(DataType);

/** True when `code` is one of the {@link DataType} values the IR supports. */
export function isSupportedDataType(code: number): code is DataType {
  return (SUPPORTED_DATA_TYPES as readonly number[]).includes(code);
}

/** A zero-filled typed array of `length` elements for `dataType`. */
export function allocateData(dataType: DataType, length: number): TensorData {
  switch (dataType) {
    case DataType.FLOAT:
      return new Float32Array(length);
    case DataType.DOUBLE:
      return new Float64Array(length);
    case DataType.INT32:
      return new Int32Array(length);
    case DataType.INT64:
      return new BigInt64Array(length);
    case DataType.INT8:
      return new Int8Array(length);
    case DataType.UINT8:
    case DataType.BOOL:
      return new Uint8Array(length);
  }
}

/**
 * Decodes little-endian `raw` bytes (ONNX raw_data) into a fresh, aligned
 * typed array. Returns `undefined` when the byte count is not a whole number
 * of elements.
 */
export function dataFromRawBytes(dataType: DataType, raw: Uint8Array): TensorData | undefined {
  const size = elementSize(dataType);
  if (raw.byteLength % size !== 0) return undefined;
  const out = allocateData(dataType, raw.byteLength / size);
  // Copy through bytes: raw_data slices of the file buffer are not aligned.
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(raw);
  if (!LITTLE_ENDIAN && size > 1) swapBytes(new Uint8Array(out.buffer), size);
  return out;
}

/** The little-endian bytes of `data` (ONNX raw_data layout); a copy. */
export function rawBytesOf(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  if (!LITTLE_ENDIAN && data.BYTES_PER_ELEMENT > 1) swapBytes(bytes, data.BYTES_PER_ELEMENT);
  return bytes;
}

/** The values of a (small) tensor as JS numbers, e.g. shape or axes constants. */
export function tensorToNumbers(t: Tensor): number[] {
  const out = new Array<number>(t.data.length);
  for (let i = 0; i < t.data.length; i++) out[i] = Number(t.data[i]);
  return out;
}

/** A float32 tensor. `data` is used as is (not copied). */
export function floatTensor(name: string, dims: number[], data: Float32Array): Tensor {
  return { name, dataType: DataType.FLOAT, dims, data };
}

/** An int64 tensor from JS numbers (shapes, axes, indices). */
export function int64Tensor(name: string, dims: number[], values: readonly number[]): Tensor {
  return { name, dataType: DataType.INT64, dims, data: BigInt64Array.from(values, (v) => BigInt(v)) };
}

/** A deep copy of a tensor (data copied). */
export function cloneTensor(t: Tensor): Tensor {
  return { name: t.name, dataType: t.dataType, dims: [...t.dims], data: t.data.slice() };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
