/**
 * The optimizer area: ONNX model IR, runtime, training and approximations.
 */
export type {
  AttributeKind,
  AttributeValue,
  Dim,
  Graph,
  Model,
  Node,
  Tensor,
  TensorData,
  ValueInfo,
} from "./onnx/ir.ts";
export { DataType } from "./onnx/ir.ts";
export { ModelFormatError, UnsupportedOpError } from "./onnx/errors.ts";
export { decodeModel, encodeModel, readModel, writeModel, type DecodeOptions } from "./onnx/serialize.ts";
export { validateModel } from "./onnx/validateModel.ts";
export {
  producerOf,
  consumersOf,
  isGraphOutput,
  uniqueName,
  replaceNode,
  insertNodes,
  removeNode,
  replaceUses,
  renameValue,
  removeDeadNodes,
  removeUnusedInitializers,
} from "./onnx/editGraph.ts";
export { foldConstants, type FoldConstantsResult } from "./onnx/foldConstants.ts";
export { foldBatchNorm } from "./onnx/foldBatchNorm.ts";
export { modelStats, type ModelStats, type LayerStats, type ModelStatsOptions } from "./onnx/modelStats.ts";
export { formatModelSummary } from "./onnx/formatModelSummary.ts";
export { loadModel, type LoadModelOptions } from "./runtime/loadModel.ts";
export { NnModel, type LatencyStats, type TypedTensor } from "./runtime/NnModel.ts";
export {
  inferShapes,
  analyzeShapes,
  annotateShapes,
  type InferShapesOptions,
  type ShapeAnalysis,
} from "./onnx/inferShapes.ts";
export { shapeRule, supportedOps, type ShapeRule, type ShapeContext, type ShapeInput, type ShapeOutput } from "./onnx/shapeRules.ts";
export { topologicalSort } from "./onnx/topologicalSort.ts";
export { cloneModel, cloneGraph, cloneNode } from "./onnx/cloneModel.ts";
export {
  GraphBuilder,
  type GraphBuilderOptions,
  type ConvOptions,
  type ConvTransposeOptions,
  type PoolOptions,
  type Pair,
} from "./onnx/GraphBuilder.ts";
export { attributeKind, attrFloat, attrInt, attrInts, attrString, attrTensor } from "./onnx/attributes.ts";
export {
  elementCount,
  elementSize,
  allocateData,
  dataFromRawBytes,
  rawBytesOf,
  tensorToNumbers,
  floatTensor,
  int64Tensor,
  cloneTensor,
} from "./onnx/tensor.ts";
export { buildBackward, type BackwardOptions, type BackwardResult } from "./train/autodiff.ts";
export { toTrainingGraph, fillDropoutMask, type TrainingGraph, type DropoutMaskInput } from "./train/training-mode.ts";
export { registerAllGradients, registerGradient, gradientRegistry } from "./train/gradients/registerAllGradients.ts";
export type { GradientRule, GradContext } from "./train/gradients/GradientRule.ts";
export { TrainingSession, type TrainingSessionOptions, type TrainingState, type TrainingBatch } from "./train/TrainingSession.ts";
export { fit, evaluate, type FitOptions, type FitResult, type EpochReport, type ValidationMetric } from "./train/fit.ts";
export { trainableParameters } from "./train/trainableParameters.ts";
export * from "./train/losses/index.ts";
export * from "./train/optimizers/index.ts";
export * from "./train/schedules/index.ts";
export * from "./data/index.ts";
export * from "./approx/index.ts";
export * as nnApprox from "./approx/index.ts";
