import type { Graph, Node, Tensor } from "../onnx/ir.ts";

/**
 * Values that are another name for a constant: outputs of `Identity` nodes
 * whose input is an initializer, a `Constant` node's output or (transitively)
 * another such alias. PyTorch's exporter writes these when it deduplicates
 * identical initializers (e.g. the zero-initialised biases SqueezeNet's convs
 * share): each later user reads `Identity(first_bias)` instead of its own.
 *
 * @returns alias value name → the name of the constant it stands for.
 */
export function constantAliases(graph: Graph): Map<string, string> {
  const constantNames = new Set(graph.initializers.keys());
  for (const n of graph.nodes) if (n.opType === "Constant" && n.outputs[0]) constantNames.add(n.outputs[0]);
  const identities = new Map<string, string>();
  for (const n of graph.nodes) if (isPlainIdentity(n)) identities.set(n.outputs[0], n.inputs[0]);
  const out = new Map<string, string>();
  for (const start of identities.keys()) {
    let name = start;
    // A chain of Identities ends at a constant or a computed value; a cycle (invalid graph) ends after |chain| hops.
    for (let hops = 0; identities.has(name) && hops <= identities.size; hops++) name = identities.get(name)!;
    if (constantNames.has(name)) out.set(start, name);
  }
  return out;
}

/**
 * Makes every reader of a constant alias (see {@link constantAliases}) read
 * the constant itself and removes the Identity nodes nothing reads any more
 * (those writing a graph output stay). Readers that end up on one name share
 * that tensor, exactly as the exporter meant.
 *
 * @returns the number of Identity nodes removed.
 */
export function bypassConstantAliases(graph: Graph): number {
  const aliases = constantAliases(graph);
  if (aliases.size === 0) return 0;
  const outputs = new Set(graph.outputs.map((o) => o.name));
  for (const n of graph.nodes) {
    if (isPlainIdentity(n) && aliases.has(n.outputs[0])) continue;
    for (let i = 0; i < n.inputs.length; i++) n.inputs[i] = aliases.get(n.inputs[i]) ?? n.inputs[i];
  }
  const before = graph.nodes.length;
  graph.nodes = graph.nodes.filter((n) => !(isPlainIdentity(n) && aliases.has(n.outputs[0]) && !outputs.has(n.outputs[0])));
  for (const name of aliases.keys()) if (!outputs.has(name)) graph.valueInfo.delete(name);
  return before - graph.nodes.length;
}

/** The constant tensors of a graph by value name: initializers, `Constant` outputs and their aliases. */
export function collectConstants(graph: Graph): Map<string, Tensor> {
  const out = new Map(graph.initializers);
  for (const n of graph.nodes) {
    if (n.opType !== "Constant" || !n.outputs[0]) continue;
    const v = n.attributes.value;
    if (v && typeof v === "object" && !Array.isArray(v)) out.set(n.outputs[0], v);
  }
  for (const [alias, name] of constantAliases(graph)) {
    const t = out.get(name);
    if (t) out.set(alias, t);
  }
  return out;
}

function isPlainIdentity(n: Node): boolean {
  return n.opType === "Identity" && (n.domain === "" || n.domain === "ai.onnx") && !!n.inputs[0] && !!n.outputs[0];
}
