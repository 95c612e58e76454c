import type { PruningRule } from "../PruningRule.ts";
import { axisPassThroughRule } from "./axisPassThrough.ts";
import { normalizationRule } from "./batchNormalization.ts";
import { concatRule } from "./concat.ts";
import { convRule } from "./conv.ts";
import { convTransposeRule } from "./convTranspose.ts";
import { elementwiseRule } from "./elementwise.ts";
import { flattenRule } from "./flatten.ts";
import { gemmRule } from "./gemm.ts";
import { matMulRule } from "./matMul.ts";
import { passThroughRule } from "./passThrough.ts";
import { reshapeRule } from "./reshape.ts";
import { resizeRule } from "./resize.ts";
import { shapeRule } from "./shape.ts";
import { splitRule } from "./split.ts";
import { squeezeRule } from "./squeeze.ts";
import { transposeRule } from "./transpose.ts";

const CHANNELWISE = [
  "Relu",
  "LeakyRelu",
  "Sigmoid",
  "HardSigmoid",
  "HardSwish",
  "Tanh",
  "Elu",
  "Selu",
  "Celu",
  "Softplus",
  "Softsign",
  "Gelu",
  "Mish",
  "Erf",
  "Abs",
  "Neg",
  "Exp",
  "Log",
  "Sqrt",
  "Reciprocal",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "Sin",
  "Cos",
  "Identity",
  "Dropout",
  "Clip",
  "Cast",
  "ThresholdedRelu",
  "Shrink",
  "MaxPool",
  "AveragePool",
  "LpPool",
  "GlobalAveragePool",
  "GlobalMaxPool",
  "GlobalLpPool",
] as const;

const BY_AXIS = [
  "Slice",
  "Pad",
  "Softmax",
  "LogSoftmax",
  "Hardmax",
  "ReduceMean",
  "ReduceSum",
  "ReduceMax",
  "ReduceMin",
  "ReduceProd",
  "ReduceL1",
  "ReduceL2",
  "ReduceSumSquare",
  "ReduceLogSum",
  "ReduceLogSumExp",
] as const;

const ELEMENTWISE = ["Add", "Sub", "Mul", "Div", "Sum", "Max", "Min", "Mean", "Pow", "PRelu"] as const;

/**
 * A fresh copy of the default rule registry (op type → rule). Every
 * {@link DependencyGraph} starts from its own copy, then applies user rules,
 * so overriding one graph's rules never affects another. Ops missing here
 * freeze the channels they read (with a warning) instead of failing.
 */
export function defaultRules(): Map<string, PruningRule> {
  const rules = new Map<string, PruningRule>([
    ["Conv", convRule],
    ["ConvTranspose", convTransposeRule],
    ["BatchNormalization", normalizationRule],
    ["InstanceNormalization", normalizationRule],
    ["Concat", concatRule],
    ["Split", splitRule],
    ["Flatten", flattenRule],
    ["Reshape", reshapeRule],
    ["Squeeze", squeezeRule],
    ["Unsqueeze", squeezeRule],
    ["Gemm", gemmRule],
    ["MatMul", matMulRule],
    ["Shape", shapeRule],
    ["Transpose", transposeRule],
    ["Resize", resizeRule],
    ["Upsample", resizeRule],
  ]);
  for (const op of CHANNELWISE) rules.set(op, passThroughRule);
  for (const op of BY_AXIS) rules.set(op, axisPassThroughRule);
  for (const op of ELEMENTWISE) rules.set(op, elementwiseRule);
  return rules;
}
