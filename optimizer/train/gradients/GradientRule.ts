import type { AttributeValue, Dim, Node, Tensor } from "../../onnx/ir.ts";

/**
 * What a gradient rule sees and may do while {@link buildBackward} visits one forward node.
 *
 * A rule only *emits* nodes: every method that creates a value returns its (unique) name. Shapes are the
 * static shapes known to the graph (inputs, initializers, `valueInfo`); a dimension may be symbolic (e.g.
 * the batch), so rules prefer shape-agnostic formulations (`Shape` of a forward value) where they can.
 */
export interface GradContext {
  /** The forward node whose gradient is being built. */
  readonly node: Node;
  /** Name of d(loss)/d(output i), or `null` when the loss does not depend on that output. */
  outputGrad(i: number): string | null;
  /** Whether d(loss)/d(input i) is wanted (the input lies on a path from a `wrt` value to the loss). */
  needsGrad(i: number): boolean;
  /** Static shape of a value; throws an error naming the node when it is not known. */
  shape(name: string): Dim[];
  /** Static shape with every dimension a number; throws when one is symbolic or unknown. */
  staticShape(name: string): number[];
  /** Static shape, or `undefined` when unknown. */
  tryShape(name: string): Dim[] | undefined;
  /** Value of a constant (initializer or `Constant` node output), or `undefined` when not constant. */
  constantValue(name: string): Tensor | undefined;
  /** Emits one node and returns its output names (`outputCount` of them, default 1). */
  emit(opType: string, inputs: string[], attributes?: Record<string, AttributeValue>, outputCount?: number): string[];
  /** Emits a single-output node and returns its output name. */
  op(opType: string, inputs: string[], attributes?: Record<string, AttributeValue>): string;
  /** A float32 constant. */
  constFloat(values: ArrayLike<number>, dims: number[]): string;
  /** An int64 constant (shapes, axes, starts...). */
  constInt64(values: ArrayLike<number>, dims?: number[]): string;
  /**
   * Sums a gradient computed at the shape of `broadcast` (a value name, usually the node output, or an explicit
   * shape) down to the shape of `target` (an input that was broadcast into it), undoing numpy broadcasting.
   */
  sumToShape(grad: string, broadcast: string | Dim[], target: string): string;
  /**
   * Marks `grad` (e.g. a reduction's gradient of shape [1, C, 1, 1]) as a contribution that still has to be
   * broadcast to its input's shape, and returns it. The broadcast is done once where contributions meet: a
   * `Sum` with full-shape contributions broadcasts for free, a consumer rule with `acceptsBroadcastGrad`
   * takes it as is, and otherwise one `Expand` is emitted.
   */
  expandTo(grad: string): string;
  /** Throws an error naming the node, its op and `message`. */
  fail(message: string): never;
}

/**
 * The gradient of one ONNX operator, registered as data (see `registerAllGradients.ts`).
 *
 * `grad` returns, per forward input, the name of d(loss)/d(input) or `null` (not needed, or not
 * differentiable, e.g. a shape input). Inputs beyond the returned array count as `null`.
 */
export interface GradientRule {
  /** ONNX operator type in the default domain, e.g. `"Conv"`. */
  readonly op: string;
  grad(ctx: GradContext): (string | null)[];
  /**
   * True when `grad` is correct even if `ctx.outputGrad(i)` only broadcasts to the output's shape (e.g.
   * `Where(x > 0, dy, 0)` with a full-shape x); lets reductions skip materializing an `Expand`.
   */
  acceptsBroadcastGrad?(ctx: GradContext): boolean;
}
