import type { KnobSpec } from "./ApplicationSpec.ts";

/**
 * The perception rate as a knob: the run configuration's `fps` (Hz), searched
 * with the NNs; a faster rate never makes the application worse.
 */
export const PERCEPTION_RATE_KNOB: KnobSpec = { name: "fps", description: "perception rate (Hz)", direction: "higher-better" };
