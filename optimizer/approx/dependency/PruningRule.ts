import type { Dim, Graph, Node, Tensor } from "../../onnx/ir.ts";
import type { ChannelSpace } from "./ChannelSpace.ts";

/** What a rule sees of its node: attributes, constants and the model's opset. */
export interface RuleView {
  readonly node: Node;
  /** The model's default-domain opset version. */
  readonly opset: number;
  /** The constant value of input `port` (an initializer or a `Constant` node's output), if it is one. */
  constant(port: number): Tensor | undefined;
}

/** The analysis-time context of one node (see {@link PruningRule.channels}). */
export interface AnalysisContext extends RuleView {
  /** The channel space of input `port`, or null when it carries none the graph tracks. */
  input(port: number): ChannelSpace | null;
  /** The constant value named `name`, if it is one (for shape/axes inputs produced upstream). */
  constantValue(name: string): Tensor | undefined;
  /** The statically known shape of a value (graph inputs/outputs, value_info), if any. */
  shape(value: string): Dim[] | undefined;
  /** The nodes that read `value`. */
  consumers(value: string): readonly Node[];
  /** The node that writes `value`, if any. */
  producer(value: string): Node | undefined;
  /** Declares the channel space of output `port`. */
  output(port: number, size: number, rank: number, axis: number): ChannelSpace;
  /** Couples `from[fromOffset + i]` with `to[toOffset + i·fanOut + j]` for i < length, j < fanOut. */
  couple(from: ChannelSpace, fromOffset: number, to: ChannelSpace, toOffset: number, length: number, fanOut?: number): void;
  /** Couples two spaces of equal size channel by channel. */
  identity(from: ChannelSpace, to: ChannelSpace): void;
  /**
   * Marks a space as unprunable (every group touching it is left alone) and
   * records `reason` as a warning naming this node. `null` is ignored.
   */
  freeze(space: ChannelSpace | null, reason: string): void;
}

/** The edit-time context of one node (see {@link PruningRule.pruneOut}). */
export interface EditContext extends RuleView {
  /** The graph being edited (a copy of the analysed model's graph). */
  readonly graph: Graph;
  /**
   * Replaces the constant feeding input `port` by `tensor`: in place when
   * this node is its only reader, else as a new initializer for this node.
   */
  setConstant(port: number, tensor: Tensor): void;
  /** The analysed channel space of input (`"in"`) or output (`"out"`) `port`, or null. */
  space(side: "in" | "out", port: number): ChannelSpace | null;
  /** Channel count of input (`"in"`) or output (`"out"`) `port` after pruning (null if it has no space). */
  newSize(side: "in" | "out", port: number): number | null;
}

/**
 * How one operator type relates and edits channels — one object per op type
 * (Torch-Pruning's per-layer "pruners"), registered by op type in a rule
 * registry that user rules override.
 *
 * Contract: after {@link channels}, every input space the rule did neither
 * couple nor freeze must be one whose pruning {@link pruneIn} handles; every
 * declared output space must be one {@link pruneOut} handles. Anything the
 * rule cannot keep consistent it must freeze, so pruning never produces a
 * broken graph.
 */
export interface PruningRule {
  /** Declares output channel spaces, couplings between channels and frozen spaces. */
  channels(ctx: AnalysisContext): void;
  /** Removes output channels of output `port`: `keep` lists the kept indices, ascending. */
  pruneOut?(ctx: EditContext, port: number, keep: Int32Array): void;
  /** Removes input channels of input `port`: `keep` lists the kept indices, ascending. */
  pruneIn?(ctx: EditContext, port: number, keep: Int32Array): void;
  /**
   * Per-channel Σ|w|^p of the weights this node holds for input or output
   * `port` (a filter's L1 norm for p = 1), or null when it holds none.
   */
  weightNorms?(ctx: RuleView, side: "in" | "out", port: number, p: number): Float64Array | null;
}
