export type { Loss } from "./Loss.ts";
export { l1Loss } from "./l1Loss.ts";
export { mseLoss } from "./mseLoss.ts";
export { smoothL1Loss } from "./smoothL1Loss.ts";
export { bceWithLogitsLoss } from "./bceWithLogitsLoss.ts";
export { softmaxCrossEntropyLoss } from "./softmaxCrossEntropyLoss.ts";
export { lossRegistry, lossByName, DEFAULT_LOSS, type LossSettings } from "./lossRegistry.ts";
