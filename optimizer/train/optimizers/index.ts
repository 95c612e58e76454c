export type { Optimizer, ParamSlot, ParamUpdate } from "./Optimizer.ts";
export { sgd, type SgdOptions } from "./sgd.ts";
export { adam, adamW, type AdamOptions } from "./adam.ts";
