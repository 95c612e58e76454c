/**
 * The channel axis of one tensor value in the dependency graph: the unit that
 * pruning shrinks. Channel `i` of the space is element `offset + i` of the
 * graph's channel universe, which the coupling analysis partitions into
 * groups.
 */
export interface ChannelSpace {
  /** Index in {@link DependencyGraph.spaces}. */
  readonly id: number;
  /** The tensor value's name in the ONNX graph. */
  readonly value: string;
  /** Number of channels (the size of the channel axis). */
  readonly size: number;
  /** The value's rank (4 for NCHW, 2 for [batch, features]). */
  readonly rank: number;
  /** Which axis holds the channels (1 for NCHW, last for MatMul outputs). */
  readonly axis: number;
  /** First element id of this space in the graph's channel universe. */
  readonly offset: number;
}
