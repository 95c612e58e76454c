export type { LrSchedule } from "./LrSchedule.ts";
export { ConstantSchedule } from "./ConstantSchedule.ts";
export { StepSchedule, type StepScheduleOptions } from "./StepSchedule.ts";
export { CosineSchedule, type CosineScheduleOptions } from "./CosineSchedule.ts";
export { OneCycleSchedule, type OneCycleScheduleOptions } from "./OneCycleSchedule.ts";
export { ExplicitSchedule } from "./ExplicitSchedule.ts";
