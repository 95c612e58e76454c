/**
 * Small graph-editing primitives that transforms (folding, pruning,
 * factorization) compose. All edit the graph in place; none re-sorts it
 * (run {@link topologicalSort} when order matters).
 */
import type { Graph, Node } from "./ir.ts";

/** The node producing `value`, if any (not for graph inputs or initializers). */
export function producerOf(graph: Graph, value: string): Node | undefined {
  return graph.nodes.find((n) => n.outputs.includes(value));
}

/** Nodes that read `value`, in graph order. */
export function consumersOf(graph: Graph, value: string): Node[] {
  return graph.nodes.filter((n) => n.inputs.includes(value));
}

/** True when `value` is a graph output. */
export function isGraphOutput(graph: Graph, value: string): boolean {
  return graph.outputs.some((o) => o.name === value);
}

/**
 * A name not used by any value or node of `graph`: `base` itself if free,
 * else `base_1`, `base_2`, ...
 */
export function uniqueName(graph: Graph, base: string): string {
  const used = new Set<string>([...graph.initializers.keys(), ...graph.inputs.map((v) => v.name)]);
  for (const n of graph.nodes) {
    used.add(n.name);
    for (const o of n.outputs) used.add(o);
  }
  if (!used.has(base)) return base;
  for (let k = 1; ; k++) if (!used.has(`${base}_${k}`)) return `${base}_${k}`;
}

/**
 * Replaces `node` by `replacement` at the same position. The replacement
 * should produce the values `node` produced that are still read.
 *
 * @throws Error when `node` is not in the graph.
 */
export function replaceNode(graph: Graph, node: Node, replacement: Node[]): void {
  const i = graph.nodes.indexOf(node);
  if (i < 0) throw new Error(`replaceNode: node "${node.name}" is not in graph "${graph.name}"`);
  graph.nodes.splice(i, 1, ...replacement);
}

/**
 * Inserts `nodes` right after `after` (or at the end when omitted).
 *
 * @throws Error when `after` is not in the graph.
 */
export function insertNodes(graph: Graph, nodes: Node[], after?: Node): void {
  if (!after) {
    graph.nodes.push(...nodes);
    return;
  }
  const i = graph.nodes.indexOf(after);
  if (i < 0) throw new Error(`insertNodes: node "${after.name}" is not in graph "${graph.name}"`);
  graph.nodes.splice(i + 1, 0, ...nodes);
}

/** Removes `node` from the graph (its outputs are left dangling for the caller to rewire). */
export function removeNode(graph: Graph, node: Node): void {
  const i = graph.nodes.indexOf(node);
  if (i >= 0) graph.nodes.splice(i, 1);
}

/**
 * Makes every reader of `from` (node inputs and graph outputs) read `to`
 * instead. The producer of `from` is untouched.
 */
export function replaceUses(graph: Graph, from: string, to: string): void {
  for (const n of graph.nodes) {
    for (let i = 0; i < n.inputs.length; i++) if (n.inputs[i] === from) n.inputs[i] = to;
  }
  for (const o of graph.outputs) if (o.name === from) o.name = to;
}

/**
 * Renames value `from` to `to` everywhere: producer outputs, node inputs,
 * graph inputs/outputs, initializers and value infos.
 *
 * @throws Error when `to` already names a value.
 */
export function renameValue(graph: Graph, from: string, to: string): void {
  if (from === to) return;
  if (uniqueName(graph, to) !== to) throw new Error(`renameValue: "${to}" already exists in graph "${graph.name}"`);
  for (const n of graph.nodes) {
    for (let i = 0; i < n.inputs.length; i++) if (n.inputs[i] === from) n.inputs[i] = to;
    for (let i = 0; i < n.outputs.length; i++) if (n.outputs[i] === from) n.outputs[i] = to;
  }
  for (const v of [...graph.inputs, ...graph.outputs]) if (v.name === from) v.name = to;
  const t = graph.initializers.get(from);
  if (t) {
    graph.initializers.delete(from);
    t.name = to;
    graph.initializers.set(to, t);
  }
  const vi = graph.valueInfo.get(from);
  if (vi) {
    graph.valueInfo.delete(from);
    vi.name = to;
    graph.valueInfo.set(to, vi);
  }
}

/**
 * Removes nodes none of whose outputs reach a graph output, and value infos
 * of values no longer produced. Returns the number of nodes removed.
 */
export function removeDeadNodes(graph: Graph): number {
  const producer = new Map<string, Node>();
  for (const n of graph.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const live = new Set<Node>();
  const stack = graph.outputs.map((o) => o.name);
  while (stack.length > 0) {
    const p = producer.get(stack.pop()!);
    if (!p || live.has(p)) continue;
    live.add(p);
    for (const i of p.inputs) if (i) stack.push(i);
  }
  const before = graph.nodes.length;
  graph.nodes = graph.nodes.filter((n) => live.has(n));
  const produced = new Set(graph.nodes.flatMap((n) => n.outputs));
  for (const k of [...graph.valueInfo.keys()]) if (!produced.has(k)) graph.valueInfo.delete(k);
  return before - graph.nodes.length;
}

/** Removes initializers no node reads and that are no graph output. Returns how many. */
export function removeUnusedInitializers(graph: Graph): number {
  const used = new Set<string>(graph.outputs.map((o) => o.name));
  for (const n of graph.nodes) for (const i of n.inputs) used.add(i);
  let removed = 0;
  for (const k of [...graph.initializers.keys()]) {
    if (!used.has(k)) {
      graph.initializers.delete(k);
      removed++;
    }
  }
  return removed;
}
