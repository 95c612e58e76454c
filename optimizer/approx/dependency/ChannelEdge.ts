import type { ChannelSpace } from "./ChannelSpace.ts";

/**
 * A coupling between two channel spaces, declared by the rule of the node
 * that relates them: removing channel `fromOffset + i` of `from` forces the
 * removal of channels `toOffset + i·fanOut + j` (j < fanOut) of `to`, and
 * vice versa.
 *
 * This is Torch-Pruning's "trigger → handler" dependency written as data:
 * instead of propagating pruning calls edge by edge, the graph unites the
 * coupled channels once (union-find) and every group is then pruned in one
 * pass, so the order in which edges are visited cannot matter.
 *
 * Examples: identity through an activation or a residual `Add` (fanOut 1);
 * a `Concat` input placed at its offset; a depthwise conv with channel
 * multiplier m (fanOut m); `Flatten → Gemm`, where channel c becomes the
 * H×W consecutive features c·H·W … c·H·W + H·W − 1 (fanOut H·W).
 */
export interface ChannelEdge {
  readonly from: ChannelSpace;
  readonly fromOffset: number;
  readonly to: ChannelSpace;
  readonly toOffset: number;
  /** Number of coupled channels of `from`. */
  readonly length: number;
  /** Channels of `to` per channel of `from`. */
  readonly fanOut: number;
  /** The IR node whose rule declared the coupling. */
  readonly nodeName: string;
}
