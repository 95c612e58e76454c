import { Abs } from "./Abs.ts";
import { Add } from "./Add.ts";
import { AveragePool } from "./AveragePool.ts";
import { BatchNormalization } from "./BatchNormalization.ts";
import { Clip } from "./Clip.ts";
import { Concat } from "./Concat.ts";
import { Conv } from "./Conv.ts";
import { ConvTranspose } from "./ConvTranspose.ts";
import { Div } from "./Div.ts";
import { Dropout } from "./Dropout.ts";
import { Exp } from "./Exp.ts";
import { Expand } from "./Expand.ts";
import { Flatten } from "./Flatten.ts";
import { Gemm } from "./Gemm.ts";
import { GlobalAveragePool } from "./GlobalAveragePool.ts";
import { Identity } from "./Identity.ts";
import { LeakyRelu } from "./LeakyRelu.ts";
import { Log } from "./Log.ts";
import { LogSoftmax } from "./LogSoftmax.ts";
import { MatMul } from "./MatMul.ts";
import { MaxPool } from "./MaxPool.ts";
import { Mul } from "./Mul.ts";
import { Neg } from "./Neg.ts";
import { Pow } from "./Pow.ts";
import { Reciprocal } from "./Reciprocal.ts";
import { ReduceMean } from "./ReduceMean.ts";
import { ReduceSum } from "./ReduceSum.ts";
import { ReduceSumSquare } from "./ReduceSumSquare.ts";
import { Relu } from "./Relu.ts";
import { Reshape } from "./Reshape.ts";
import { Resize } from "./Resize.ts";
import { Sigmoid } from "./Sigmoid.ts";
import { Slice } from "./Slice.ts";
import { Softmax } from "./Softmax.ts";
import { Softplus } from "./Softplus.ts";
import { Split } from "./Split.ts";
import { Sqrt } from "./Sqrt.ts";
import { Squeeze } from "./Squeeze.ts";
import { Sub } from "./Sub.ts";
import { Sum } from "./Sum.ts";
import { Tanh } from "./Tanh.ts";
import { Transpose } from "./Transpose.ts";
import { Unsqueeze } from "./Unsqueeze.ts";
import { Where } from "./Where.ts";
import type { GradientRule } from "./GradientRule.ts";

/** Every shipped gradient rule, one per op. */
const ALL_RULES: readonly GradientRule[] = [
  Abs,
  Add,
  AveragePool,
  BatchNormalization,
  Clip,
  Concat,
  Conv,
  ConvTranspose,
  Div,
  Dropout,
  Exp,
  Expand,
  Flatten,
  Gemm,
  GlobalAveragePool,
  Identity,
  LeakyRelu,
  Log,
  LogSoftmax,
  MatMul,
  MaxPool,
  Mul,
  Neg,
  Pow,
  Reciprocal,
  ReduceMean,
  ReduceSum,
  ReduceSumSquare,
  Relu,
  Reshape,
  Resize,
  Sigmoid,
  Slice,
  Softmax,
  Softplus,
  Split,
  Sqrt,
  Squeeze,
  Sub,
  Sum,
  Tanh,
  Transpose,
  Unsqueeze,
  Where,
];

/**
 * Registers every shipped gradient rule into `registry` (a new map by default) and returns it.
 *
 * @throws Error when an op already has a rule — two rules for one op is a bug, not something to warn about.
 */
export function registerAllGradients(registry: Map<string, GradientRule> = new Map()): Map<string, GradientRule> {
  for (const rule of ALL_RULES) registerGradient(registry, rule);
  return registry;
}

/**
 * Adds one rule (e.g. a user rule for a custom op) to `registry`.
 *
 * @throws Error when `rule.op` is already registered.
 */
export function registerGradient(registry: Map<string, GradientRule>, rule: GradientRule): void {
  if (registry.has(rule.op)) throw new Error(`gradient rule for ${rule.op} registered twice`);
  registry.set(rule.op, rule);
}

let defaultRegistry: ReadonlyMap<string, GradientRule> | undefined;

/** The shared registry of all shipped rules (built once; read-only — copy it to add rules). */
export function gradientRegistry(): ReadonlyMap<string, GradientRule> {
  defaultRegistry ??= registerAllGradients();
  return defaultRegistry;
}
