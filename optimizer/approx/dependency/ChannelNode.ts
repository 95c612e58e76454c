import type { Node } from "../../onnx/ir.ts";
import type { ChannelSpace } from "./ChannelSpace.ts";
import type { PruningRule } from "./PruningRule.ts";

/**
 * An IR node in the dependency graph: its rule and the channel spaces of its
 * inputs and outputs (`null` where a value carries no channels the graph
 * tracks: constants, shape tensors, outputs of unanalysed ops).
 */
export interface ChannelNode {
  /** Position of the node in the model's `graph.nodes`. */
  readonly index: number;
  readonly node: Node;
  /** The rule that analyses and edits this node; undefined for nodes that touch no channel space. */
  readonly rule: PruningRule | undefined;
  readonly inputs: (ChannelSpace | null)[];
  readonly outputs: (ChannelSpace | null)[];
}
