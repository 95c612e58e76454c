import type { AttributeKind, AttributeValue, Node, Tensor } from "./ir.ts";

/**
 * Attribute names that are FLOAT/FLOATS in the ONNX operator schemas we
 * support. Used only for nodes built in code without
 * {@link Node.attributeTypes}, where `alpha: 1` would otherwise be written as
 * an INT and rejected by onnxruntime.
 */
const FLOAT_ATTRIBUTES = new Set([
  "alpha",
  "beta",
  "gamma",
  "epsilon",
  "momentum",
  "ratio",
  "bias",
  "lambd",
  "min",
  "max",
  "value_float",
  "value_floats",
  "scales",
  "extrapolation_value",
  "cubic_coeff_a",
  "spatial_scale",
  "height_scale",
  "width_scale",
  "threshold",
  // RandomNormal/RandomUniform(Like): all float, `seed` included.
  "mean",
  "scale",
  "seed",
  "low",
  "high",
]);

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "dataType" in v && "data" in v;
}

/**
 * The stored kind of attribute `name` of `node`: its recorded
 * {@link Node.attributeTypes} entry, else derived from the value (numbers are
 * INT unless the name is a known float attribute or the value is fractional).
 */
export function attributeKind(node: Node, name: string): AttributeKind {
  const recorded = node.attributeTypes?.[name];
  if (recorded) return recorded;
  return kindOfValue(name, node.attributes[name]);
}

function kindOfValue(name: string, v: AttributeValue): AttributeKind {
  const float = FLOAT_ATTRIBUTES.has(name);
  if (typeof v === "number") return float || !Number.isInteger(v) ? "float" : "int";
  if (typeof v === "string") return "string";
  if (isTensor(v)) return "tensor";
  if (v.length === 0) return float ? "floats" : "ints";
  const first = v[0];
  if (typeof first === "string") return "strings";
  if (isTensor(first)) return "tensors";
  return float || (v as number[]).some((x) => !Number.isInteger(x)) ? "floats" : "ints";
}

/** Integer attribute `name` of `node`, or `fallback` when absent. */
export function attrInt(node: Node, name: string, fallback: number): number {
  const v = node.attributes[name];
  return typeof v === "number" ? v : fallback;
}

/** Float attribute `name` of `node`, or `fallback` when absent. */
export function attrFloat(node: Node, name: string, fallback: number): number {
  const v = node.attributes[name];
  return typeof v === "number" ? v : fallback;
}

/** String attribute `name` of `node`, or `fallback` when absent. */
export function attrString(node: Node, name: string, fallback: string): string {
  const v = node.attributes[name];
  return typeof v === "string" ? v : fallback;
}

/** Integer-list attribute `name` of `node`, or `undefined` when absent. */
export function attrInts(node: Node, name: string): number[] | undefined {
  const v = node.attributes[name];
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === "number") ? (v as number[]) : undefined;
}

/** Tensor attribute `name` of `node`, or `undefined` when absent. */
export function attrTensor(node: Node, name: string): Tensor | undefined {
  const v = node.attributes[name];
  return isTensor(v) ? v : undefined;
}
