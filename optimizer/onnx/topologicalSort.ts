import { ModelFormatError } from "./errors.ts";
import type { Graph, Node } from "./ir.ts";

/**
 * The graph's nodes ordered so that every node comes after the producers of
 * its inputs. Depth-first and stable: an already sorted list comes back in
 * the same order. Inputs produced by no node (graph inputs, initializers,
 * omitted optionals) impose no order. Does not modify the graph.
 *
 * @param where names the model in the error message (default: graph name).
 * @throws ModelFormatError naming a node on the cycle if there is one.
 */
export function topologicalSort(graph: Graph, where = graph.name || "graph"): Node[] {
  const nodes = graph.nodes;
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) if (o) producer.set(o, i);
  });
  // 0 = unvisited, 1 = on the DFS stack, 2 = emitted.
  const state = new Uint8Array(nodes.length);
  const order: Node[] = [];
  const stackNode: number[] = [];
  const stackInput: number[] = [];
  for (let root = 0; root < nodes.length; root++) {
    if (state[root] !== 0) continue;
    stackNode.push(root);
    stackInput.push(0);
    state[root] = 1;
    while (stackNode.length > 0) {
      const top = stackNode.length - 1;
      const i = stackNode[top];
      const inputs = nodes[i].inputs;
      const k = stackInput[top];
      if (k < inputs.length) {
        stackInput[top] = k + 1;
        const p = inputs[k] ? producer.get(inputs[k]) : undefined;
        if (p === undefined) continue;
        if (state[p] === 1) {
          throw new ModelFormatError(
            where,
            `graph has a cycle: node "${nodes[p].name}" (${nodes[p].opType}) depends on its own output via "${nodes[i].name}"`,
          );
        }
        if (state[p] === 0) {
          state[p] = 1;
          stackNode.push(p);
          stackInput.push(0);
        }
      } else {
        state[i] = 2;
        order.push(nodes[i]);
        stackNode.pop();
        stackInput.pop();
      }
    }
  }
  return order;
}
