/**
 * Perception backbones as code (the zoo's architectures), built on
 * {@link GraphBuilder}: untrained float32 ONNX models any user can train with
 * `fit` on their own data. Exported from the package as `ac.models`.
 */
export type { RegressionNetOptions, LaneNetOptions } from "./BackboneOptions.ts";
export { LANE_MASK_FACTOR } from "./BackboneOptions.ts";
export { resnet18Style } from "./resnet18Style.ts";
export { squeezeNetStyle } from "./squeezeNetStyle.ts";
export { darkNetStyle } from "./darkNetStyle.ts";
export { laneNetVggStyle } from "./laneNetVggStyle.ts";
export { laneNetDarkNetStyle } from "./laneNetDarkNetStyle.ts";
export * as torchvision from "./torchvisionNets.ts";
