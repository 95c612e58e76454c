/**
 * Approximations as ONNX graph transforms: structured channel pruning over a
 * channel dependency graph, and low-rank factorization of convolutions.
 */
export type { ApproxLevel, Approximator, ModelSource } from "./Approximator.ts";
export { modelOf } from "./Approximator.ts";
export type { ChannelEdge } from "./dependency/ChannelEdge.ts";
export type { ChannelNode } from "./dependency/ChannelNode.ts";
export type { ChannelSpace } from "./dependency/ChannelSpace.ts";
export { DependencyGraph, type DependencyGraphOptions, type PruneResult } from "./dependency/DependencyGraph.ts";
export { PruningGroup, type GroupMember, type GroupSlot } from "./dependency/PruningGroup.ts";
export type { AnalysisContext, EditContext, PruningRule, RuleView } from "./dependency/PruningRule.ts";
export { defaultRules } from "./dependency/rules/defaultRules.ts";
export { factorizeModel, type FactorizeOptions, type FactorizeResult } from "./factorizeModel.ts";
export { finetune, type FinetuneRecipe } from "./finetune.ts";
export {
  balancedL1Importance,
  IMPORTANCE_BY_NAME,
  IMPORTANCE_NAMES,
  l1Importance,
  magnitudeImportance,
  type Importance,
  type ImportanceName,
  type MagnitudeImportanceOptions,
} from "./importance.ts";
export { LowRankFactorizer, type LowRankFactorizerOptions } from "./LowRankFactorizer.ts";
export { svd, type Svd, type SvdOptions } from "./lowrank/svd.ts";
export { truncatedSvd, type TruncatedSvdOptions } from "./lowrank/truncatedSvd.ts";
export { groupSizes, pruneChannels, type PruneChannelsOptions, type PruneChannelsResult } from "./pruneChannels.ts";
export { StructuredPruner, type StructuredPrunerOptions } from "./StructuredPruner.ts";
