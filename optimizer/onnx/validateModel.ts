import { ModelFormatError } from "./errors.ts";
import type { Model, Tensor } from "./ir.ts";
import { elementCount } from "./tensor.ts";
import { topologicalSort } from "./topologicalSort.ts";

/**
 * Checks the structural invariants every transform relies on, throwing a
 * {@link ModelFormatError} naming `where` and the tensor, node or value at
 * fault:
 * - a graph exists and the default-domain opset is imported when used;
 * - tensor dims are non-negative integers and data length matches them;
 * - node names are non-empty and unique; every value is produced once;
 * - every node input is a graph input, an initializer or a node output
 *   (no dangling edges); every graph output is produced;
 * - the graph has no cycle.
 */
export function validateModel(model: Model, where: string): void {
  const g = model.graph;
  const fail = (msg: string): never => {
    throw new ModelFormatError(where, msg);
  };
  for (const [name, t] of g.initializers) {
    if (t.name !== name) fail(`initializer map key "${name}" does not match tensor name "${t.name}"`);
    checkTensor(t, `initializer "${name}"`, fail);
  }
  const produced = new Set<string>();
  for (const v of g.inputs) {
    if (!v.name) fail("a graph input has no name");
    if (produced.has(v.name)) fail(`graph input "${v.name}" is declared twice`);
    produced.add(v.name);
  }
  for (const name of g.initializers.keys()) {
    if (produced.has(name)) fail(`initializer "${name}" is also listed as a graph input`);
    produced.add(name);
  }
  const nodeNames = new Set<string>();
  let usesDefaultDomain = false;
  for (const n of g.nodes) {
    if (!n.name) fail(`a ${n.opType} node has no name`);
    if (nodeNames.has(n.name)) fail(`two nodes are named "${n.name}"`);
    nodeNames.add(n.name);
    if (!n.opType) fail(`node "${n.name}" has no op type`);
    if (n.domain === "" || n.domain === "ai.onnx") usesDefaultDomain = true;
    for (const o of n.outputs) {
      if (!o) continue;
      if (produced.has(o)) fail(`value "${o}" (output of node "${n.name}") is produced more than once`);
      produced.add(o);
    }
    for (const [k, v] of Object.entries(n.attributes)) {
      const tensors = Array.isArray(v) ? v : [v];
      for (const t of tensors) {
        if (typeof t === "object") checkTensor(t as Tensor, `attribute "${k}" of node "${n.name}"`, fail);
      }
    }
  }
  if (usesDefaultDomain && model.opsets[""] === undefined) fail("the model imports no ai.onnx opset");
  for (const n of g.nodes) {
    for (const i of n.inputs) {
      if (i && !produced.has(i)) {
        fail(`node "${n.name}" (${n.opType}) reads "${i}", which is no graph input, initializer or node output`);
      }
    }
  }
  for (const o of g.outputs) {
    if (!produced.has(o.name)) fail(`graph output "${o.name}" is not produced by any node, input or initializer`);
  }
  topologicalSort(g, where);
}

function checkTensor(t: Tensor, what: string, fail: (msg: string) => never): void {
  for (const d of t.dims) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`${what} has invalid dims [${t.dims.join(", ")}]`);
  }
  const expected = elementCount(t.dims);
  if (t.data.length !== expected) {
    fail(`${what} has ${t.data.length} values but dims [${t.dims.join(", ")}] need ${expected}`);
  }
}
