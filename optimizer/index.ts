/**
 * The optimizer area: ONNX model IR, runtime, training and approximations.
 */
export type { AttributeKind, AttributeValue, Dim, Graph, Model, Node, Tensor, TensorData, ValueInfo } from "./onnx/ir.ts";
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
export { checkNetworkShapes, type ExpectedShapes } from "./runtime/checkNetworkShapes.ts";
export { NnModel, type LatencyStats, type TypedTensor } from "./runtime/NnModel.ts";
export { measureInterleaved, type InterleavedLatency, type InterleavedOptions } from "./runtime/measureInterleaved.ts";
export { inferShapes, analyzeShapes, annotateShapes, type InferShapesOptions, type ShapeAnalysis } from "./onnx/inferShapes.ts";
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
// Phase 1: error metrics, error families, error calibration.
export type { ModelRunner } from "./metrics/ModelRunner.ts";
export type { LabeledDataset } from "./metrics/LabeledDataset.ts";
export { defineMetric, type MetricDirection, type MetricFunction } from "./metrics/MetricFunction.ts";
export { l1Error, l2Error, bias, stdDev, percentileError } from "./metrics/regression.ts";
export { metricRegistry, metricByName, type RegisteredMetric } from "./metrics/metricRegistry.ts";
export { accuracy } from "./metrics/classification.ts";
export { recall, precision, iou, maskMetric, maskConfusion, type MaskConfusion, type MaskMetricKind } from "./metrics/laneMask.ts";
export { ErrorMetric, type ErrorMetricOptions, type MetricPairs } from "./metrics/ErrorMetric.ts";
export { predictDataset } from "./metrics/predictDataset.ts";
export { regressionL1, laneMaskMetrics } from "./metrics/modelMetrics.ts";
export { asModelRunner } from "./metrics/asModelRunner.ts";
export { PolynomialFit, type PolynomialFitJSON } from "./errors/PolynomialFit.ts";
export { regressionErrorStats, type RegressionErrorStats } from "./errors/regressionErrorStats.ts";
export {
  laneMaskErrorStats,
  LANE_PIXEL_TERMS,
  LANE_STRUCTURE_TERMS,
  LOST_FRAME_RECALL,
  LOST_SEGMENT_RECALL,
  BLOB_MIN_PIXELS,
  type LaneMaskErrorParams,
  type LaneMaskStatsOptions,
} from "./errors/laneMaskErrorStats.ts";
export type { GaussianInjection, GaussianTerms, LaneMaskInjection, NnInjection, InjectionParams } from "./errors/InjectionParams.ts";
export { groupMetrics, worldRatios, worldSpreadOf } from "./errors/worldSpread.ts";
export {
  REGRESSION_ERROR_MODELS,
  REGRESSION_STRUCTURE_TERMS,
  type RegressionErrorModel,
  type RegressionOutputFit,
  type ErrorFamily,
  type RegressionErrorFamily,
  type LaneMaskErrorFamily,
  type RegressionMeasurement,
  type LaneMaskMeasurement,
} from "./errors/ErrorFamily.ts";
export type { ErrorSequences } from "./errors/ErrorSequences.ts";
export { structuredErrorStats, type StructuredErrorStats } from "./errors/structuredErrorStats.ts";
export { fitStudentTail } from "./errors/fitStudentTail.ts";
export { ErrorDistribution, type ErrorDistributionJSON } from "./errors/ErrorDistribution.ts";
export {
  findErrorDistribution,
  type ErrorSample,
  type ErrorFitOptions,
  type FindErrorDistributionOptions,
} from "./errors/findErrorDistribution.ts";
export { gaussianFamily, laneDropFamily } from "./errors/analyticFamilies.ts";
export { checkAxis, toUnit, fromUnit, type CalibrationAxis } from "./calibrate/CalibrationAxis.ts";
export { downSetVolume, unionVolume, maximalPoints, type Box } from "./calibrate/volume.ts";
export { Constraints, type Classification, type EvaluatedPoint, type ConstraintsJSON } from "./calibrate/Constraints.ts";
export { outcomeRuns, type QosOracle, type QosOutcome, type QosEvaluateOptions } from "./calibrate/QosOracle.ts";
export { EvaluationLog, type EvaluationRecord } from "./calibrate/EvaluationLog.ts";
export type { CalibrationProgress, ProgressListener } from "./calibrate/CalibrationProgress.ts";
export {
  searchBoundary,
  type PointEvaluator,
  type PointOutcome,
  type SearchBoundaryOptions,
  type SearchReport,
} from "./calibrate/searchBoundary.ts";
export { errorCalibrate, type ErrorCalibrateOptions, type KnobAxis } from "./calibrate/errorCalibrate.ts";
export { boundarySvg, type BoundarySvgOptions } from "./calibrate/boundarySvg.ts";
// Phase 2: guided tuning.
export type { Candidate, Combination, WorldEquivalence } from "./tune/Candidate.ts";
export { minFps, utilization, type Objective } from "./tune/Objective.ts";
export { objectiveRegistry, objectiveByName, type ObjectiveSettings } from "./tune/objectiveRegistry.ts";
export { enumerateCombinations, pointOf, type Knob } from "./tune/enumerateCombinations.ts";
export {
  guidedSearch,
  type CombinationEvaluator,
  type GuidedSearchOptions,
  type GuidedSearchResult,
  type GuidedStep,
} from "./tune/guidedSearch.ts";
export { agnosticChoice, referenceOf, type AgnosticOptions } from "./tune/agnosticChoice.ts";
export { unguidedWalk, type UnguidedStep, type UnguidedWalkOptions, type UnguidedWalkResult } from "./tune/unguidedWalk.ts";
export { planSeeds, type SeedSets, type SeedSpec, type SeedFields } from "./tune/seedPlan.ts";
export { backboneErrorFamilies, type BackboneErrorFamilies, type BackboneErrorFamiliesOptions } from "./tune/backboneErrorFamilies.ts";
export { loopFidelity, loopFidelityPoint, summarizeLoopFidelity, type LoopFidelity, type LoopFidelityPoint } from "./tune/loopFidelity.ts";
export {
  calibrationFidelity,
  describeVerdict,
  fidelityCombinations,
  type CalibrationFidelityOptions,
  type FidelityPick,
  type FidelityPoint,
  type FidelityReport,
} from "./tune/calibrationFidelity.ts";
export { fidelityConfusion, type FidelityConfusion, type Verdict } from "./tune/fidelityConfusion.ts";
export { measureCandidate, type MeasureCandidateOptions } from "./tune/measureCandidate.ts";
export { memoizeLevels } from "./tune/memoizeLevels.ts";
export {
  optimize,
  type AgnosticVariant,
  type OptimizeOptions,
  type OptimizeResult,
  type OptimizePhase,
  type OptimizeProgress,
} from "./tune/optimize.ts";
export { compare, type Comparison } from "./tune/compare.ts";
export { combinationQos, type TuningQos } from "./tune/TuningQos.ts";
export { withKnobAxes, type TuningKnob } from "./tune/withKnobAxes.ts";
export { measureCandidates, type Backbone, type MeasureCandidatesOptions } from "./tune/measureCandidates.ts";
export { approximatorsByNn, type ApproximatorsInput } from "./tune/approximatorsByNn.ts";
export { defaultMetrics } from "./tune/defaultMetrics.ts";
export {
  buildReport,
  candidateId,
  type OptimizeReport,
  type CandidateRecord,
  type CombinationRecord,
  type CombinationSummary,
  type PhaseTimings,
} from "./tune/report.ts";
export { reportHtml, seedsText, fidelityText } from "./tune/reportHtml.ts";
export * as models from "./models/index.ts";
export * from "./levels/index.ts";
