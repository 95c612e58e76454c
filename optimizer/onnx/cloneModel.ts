import type { AttributeValue, Graph, Model, Node, Tensor, ValueInfo } from "./ir.ts";
import { cloneTensor } from "./tensor.ts";

/** A deep copy of `model`: tensors' data, nodes, shapes and maps are all copied. */
export function cloneModel(model: Model): Model {
  return { ...model, opsets: { ...model.opsets }, metadata: { ...model.metadata }, graph: cloneGraph(model.graph) };
}

/** A deep copy of `graph`. */
export function cloneGraph(graph: Graph): Graph {
  return {
    name: graph.name,
    nodes: graph.nodes.map(cloneNode),
    inputs: graph.inputs.map(cloneValueInfo),
    outputs: graph.outputs.map(cloneValueInfo),
    initializers: new Map([...graph.initializers].map(([k, t]) => [k, cloneTensor(t)])),
    valueInfo: new Map([...graph.valueInfo].map(([k, v]) => [k, cloneValueInfo(v)])),
  };
}

/** A deep copy of `node` (tensor attributes included). */
export function cloneNode(node: Node): Node {
  const attributes: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(node.attributes)) attributes[k] = cloneAttribute(v);
  const copy: Node = { ...node, inputs: [...node.inputs], outputs: [...node.outputs], attributes };
  if (node.attributeTypes) copy.attributeTypes = { ...node.attributeTypes };
  return copy;
}

/** A copy of a value info (shape array copied). */
export function cloneValueInfo(v: ValueInfo): ValueInfo {
  return v.shape ? { ...v, shape: [...v.shape] } : { ...v };
}

function cloneAttribute(v: AttributeValue): AttributeValue {
  if (Array.isArray(v)) {
    return (v as unknown[]).map((x) => (typeof x === "object" ? cloneTensor(x as Tensor) : x)) as AttributeValue;
  }
  return typeof v === "object" ? cloneTensor(v) : v;
}
