/**
 * Closed-loop pipelines on simulated time: CropFollow (EKF + MPC) and GEM
 * (lane post-processing + Stanley), swappable perception (oracle, injected
 * error, ONNX), RxJS operators, and the QoS evaluator the optimizer calls.
 */
export { parseRunConfig, RunConfigSchema, type RunConfig, type RunConfigInput } from "./RunConfig.ts";
export type { ApplicationSpec, NetworkSpec, KnobSpec, LoopContext } from "./application/ApplicationSpec.ts";
export { defineApplication } from "./application/defineApplication.ts";
export { PERCEPTION_RATE_KNOB } from "./application/perceptionRateKnob.ts";
export { registerApplication, getApplication, applicationNames, loadApplication } from "./application/applicationRegistry.ts";
export { checkApplicationWorld } from "./application/checkApplicationWorld.ts";
export { cropFollowApplication } from "./cropfollow/cropFollowApplication.ts";
export { gemApplication } from "./gem/gemApplication.ts";
export { runPipeline, type RunPipelineOptions, type PipelineRun } from "./runPipeline.ts";
export { summarizeRun, type RunSummary } from "./qos/RunSummary.ts";
export { seedPasses, configurationPasses, checkQosGoal, isRateGoal, rateTestOf, type QosGoal } from "./qos/QosGoal.ts";
export { describeGoal } from "./qos/describeGoal.ts";
export { unwrapTaskResult, type QosTask, type QosTaskResult } from "./qos/QosTask.ts";
export type { QosBackend } from "./qos/QosBackend.ts";
export { ThreadPoolBackend } from "./qos/ThreadPoolBackend.ts";
export { InlineBackend } from "./qos/InlineBackend.ts";
export { QosEvaluator, SEQUENTIAL_CHUNK, type QosEvaluation, type QosEvaluatorOptions, type SeedResult } from "./qos/QosEvaluator.ts";
export { RedisQueueBackend, type RedisQueueOptions } from "./queue/RedisQueueBackend.ts";
export { startQueueWorker, type QueueWorkerOptions, type QueueWorkerHandle } from "./queue/QueueWorker.ts";
export { qosBackend } from "./queue/qosBackend.ts";
export { parseRedisUrl, type RedisAddress } from "./queue/redisUrl.ts";
export { defaultCacheDir } from "./queue/ContentStore.ts";
export { PROJECT_VERSION, QUEUE_NAME } from "./queue/QueueJob.ts";
export type { RunProgress, RunProgressListener } from "./queue/RunProgress.ts";

export { ApplicationQos, CropFollowQoS, GemQoS, type ApplicationQosOptions, type ApplicationQosOutcome } from "./qos/ApplicationQos.ts";

export { SimScheduler } from "./runtime/SimScheduler.ts";
export { runClosedLoop, type ClosedLoopOptions, type StopReason } from "./runtime/runClosedLoop.ts";
export { TrajectoryRecorder, TRAJECTORY_FIELDS, trajectoryToJsonl, trajectoryLine, type TrajectoryField } from "./runtime/TrajectoryRecorder.ts";
export { cameraModelFor } from "./runtime/cameraModelFor.ts";

export { RowEkf, type RowEkfOptions } from "./cropfollow/RowEkf.ts";
export { RowMpc, type RowMpcOptions } from "./cropfollow/RowMpc.ts";
export { cropFollowLoop, type CropFollowLoopOptions } from "./cropfollow/cropFollowLoop.ts";

export { scaleCameraModel } from "./gem/CameraModel.ts";
export { GroundProjection } from "./gem/GroundProjection.ts";
export { laneGeometry, type LaneGeometry } from "./gem/LaneGeometry.ts";
export { LaneMaskRasterizer, trackSegments } from "./gem/LaneMaskRasterizer.ts";
export { LanePostProcessor, type LaneEstimate, type LanePostProcessorOptions } from "./gem/LanePostProcessor.ts";
export { robustQuadraticFit, type QuadraticFit } from "./gem/robustQuadraticFit.ts";
export { StanleyController, type StanleyOptions } from "./gem/StanleyController.ts";
export { gemLoop, type GemLoopOptions } from "./gem/gemLoop.ts";

export {
  parsePerceptionConfig,
  poolingAllowed,
  DEFAULT_LANE_MASK,
  PerceptionConfigSchema,
  RegressionErrorSchema,
  LaneMaskErrorSchema,
  CameraRequestSchema,
  type PerceptionConfig,
  type PerceptionConfigInput,
  type RegressionError,
  type RegressionErrorInput,
  type LaneMaskError,
  type LaneMaskErrorInput,
  type CameraRequest,
} from "./perception/PerceptionConfig.ts";
export type { PerceptionSource, PerceptionKind, RowMeasurement, RowPerceptionSource, LaneMaskSource } from "./perception/PerceptionSource.ts";
export { OracleRowPerception } from "./perception/OracleRowPerception.ts";
export { InjectedRowPerception } from "./perception/InjectedRowPerception.ts";
export { OracleLaneMask } from "./perception/OracleLaneMask.ts";
export { InjectedLaneMask } from "./perception/InjectedLaneMask.ts";
export { OnnxFrameModel } from "./perception/OnnxFrameModel.ts";
export { checkFrameModel, describeSpecOutput } from "./perception/checkFrameModel.ts";
export { preprocessFrame, type FramePreprocessing } from "./perception/preprocessFrame.ts";
export { OnnxRowPerception } from "./perception/OnnxRowPerception.ts";
export { OnnxLaneMask } from "./perception/OnnxLaneMask.ts";
export { createRowPerception, createLaneMaskSource } from "./perception/createPerception.ts";
export { RegressionErrorProcess } from "./perception/RegressionErrorProcess.ts";
export { InjectedRegressionErrors } from "./perception/InjectedRegressionErrors.ts";
export { applyLaneMaskError, LANE_DROP_BANDS } from "./perception/applyLaneMaskError.ts";
export { LaneLossChain } from "./perception/LaneLossChain.ts";

export type { Stamped } from "./operators/Stamped.ts";
export { perceive } from "./operators/perceive.ts";
export { withLatency } from "./operators/withLatency.ts";
export { holdLatest } from "./operators/holdLatest.ts";
export { readInertial, type InertialSample } from "./operators/readInertial.ts";
export { fuseRowEstimate, type RowEstimate } from "./operators/fuseRowEstimate.ts";
export { processLanes } from "./operators/processLanes.ts";
export { actuate } from "./operators/actuate.ts";
export { recordStep } from "./operators/recordStep.ts";
export { steerToLane, type LaneErrors, type SteerToLaneOptions } from "./operators/steerToLane.ts";

export type { LanePose, LanePoseSource } from "./gempursuit/LanePoseSource.ts";
export { OracleLanePose } from "./gempursuit/OracleLanePose.ts";
export { InjectedLanePose } from "./gempursuit/InjectedLanePose.ts";
export { OnnxLanePose } from "./gempursuit/OnnxLanePose.ts";
export { PurePursuitController, type PurePursuitOptions } from "./gempursuit/PurePursuitController.ts";
export { gemPursuitLoop, type GemPursuitLoopOptions } from "./gempursuit/gemPursuitLoop.ts";

export {
  TuningConfigSchema,
  readTuningConfig,
  parseTuningConfig,
  seedList,
  configSeeds,
  calibrationKnobAxes,
  type TuningConfig,
  type BackboneConfig,
} from "./tuning/TuningConfig.ts";
export { readConstraints } from "./tuning/readConstraints.ts";
export { describeWorld } from "./tuning/describeWorld.ts";
export { tuningOptimizeOptions } from "./tuning/tuningOptimizeOptions.ts";
export { setupTuning, type TuningSetup } from "./tuning/setupTuning.ts";
export { datasetWorldGroups } from "./tuning/datasetWorldGroups.ts";
export { tuningErrorDistribution, type TuningErrorDistribution } from "./tuning/tuningErrorDistribution.ts";
export { verificationEvaluator, type VerificationDetail } from "./tuning/verificationEvaluator.ts";

export { PerceptionLog, ROW_PERCEPTION_FIELDS, LANE_PERCEPTION_FIELDS, type PerceptionFields } from "./runtime/PerceptionLog.ts";
export { RECORD_MODES, shouldRecord, type RecordMode } from "./recording/RecordMode.ts";
export {
  RECORDING_FORMAT,
  RunRecordingSchema,
  parseRunRecording,
  recordedPreset,
  type RunRecording,
  type PerceptionLine,
} from "./recording/RunRecording.ts";
export { writeRecording, recordingLayout, perceptionToJsonl, type RecordingInput } from "./recording/writeRecording.ts";
export { readRecording, type LoadedRecording } from "./recording/readRecording.ts";
export { recordRun, type RecordRunOptions, type RecordFramesOptions } from "./recording/recordRun.ts";
export { drawPerceptionOverlay } from "./recording/drawPerceptionOverlay.ts";
export { recordEvaluation, pointReplayDir, describePerception, POINT_FILE } from "./recording/recordEvaluation.ts";
export { runEvidence, type EvidenceApplication, type EvidenceOptions } from "./evidence/runEvidence.ts";
export type { ApplicationEvidence, EvidenceChoice, EvidenceReport, LatencyComparison, Spread } from "./evidence/EvidenceReport.ts";
export { evidenceMetrics } from "./evidence/evidenceMetrics.ts";
export { evidenceSummary, evidenceRows, type EvidenceRow } from "./evidence/evidenceSummary.ts";
export { evidenceHtml } from "./evidence/evidenceHtml.ts";
export { PAPER_FIGURES } from "./evidence/paperFigures.ts";
