/**
 * The in-memory ONNX model: plain data that transforms edit directly.
 *
 * Names are the edges: a node input refers to a graph input, an initializer or
 * another node's output by name (as in ONNX itself). An empty string is an
 * omitted optional input. Tensor data is always held decoded, row-major, in a
 * typed array matching {@link DataType}.
 */

/** ONNX TensorProto.DataType values used here. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
} as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** Typed-array storage per data type (INT64 as BigInt64Array). */
export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** A constant tensor: an initializer, a Constant's value or a tensor attribute. */
export interface Tensor {
  name: string;
  dataType: DataType;
  /** Dimensions, outermost first. `[]` is a scalar. */
  dims: number[];
  /** Row-major values; length is the product of `dims`. */
  data: TensorData;
}

/** A dimension: a fixed size, a symbolic name (e.g. "batch"), or unknown (`null`). */
export type Dim = number | string | null;

/** A graph input/output or an annotated intermediate value. */
export interface ValueInfo {
  name: string;
  dataType: DataType;
  /** `undefined` when the rank is unknown. */
  shape?: Dim[];
}

/** Attribute values, decoded. Graph-valued attributes are not supported. */
export type AttributeValue = number | string | number[] | string[] | Tensor | Tensor[];

/**
 * How an attribute is stored in the file. A JS number cannot tell an ONNX INT
 * from a FLOAT (`alpha: 1`), nor an empty list INTS from FLOATS, so the loader
 * records each attribute's kind in {@link Node.attributeTypes}; nodes built in
 * code may omit it and get a kind from the attribute's name and value
 * (see `attributeKind` in `attributes.ts`).
 */
export type AttributeKind = "int" | "float" | "string" | "tensor" | "ints" | "floats" | "strings" | "tensors";

/** One operator application. */
export interface Node {
  /** Unique within the graph (the loader names unnamed nodes). */
  name: string;
  opType: string;
  /** Operator domain; "" is the default ONNX domain. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
  /** Stored kind of each attribute, when known (the loader always sets it). */
  attributeTypes?: Record<string, AttributeKind>;
}

/** A graph: nodes in any order (use topological sorting before executing). */
export interface Graph {
  name: string;
  nodes: Node[];
  /** Graph inputs, excluding initializers. */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Map<string, Tensor>;
  /** Shapes of intermediate values, if known. */
  valueInfo: Map<string, ValueInfo>;
}

/** A whole model file. */
export interface Model {
  irVersion: number;
  /** Opset versions by domain ("" = ai.onnx). */
  opsets: Record<string, number>;
  producerName: string;
  producerVersion: string;
  docString: string;
  metadata: Record<string, string>;
  /** ModelProto.domain (reverse-DNS namespace of the model), if any. */
  domain?: string;
  /** ModelProto.model_version, if any. */
  modelVersion?: number;
  graph: Graph;
}
