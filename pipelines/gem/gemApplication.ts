import { trackingPointAhead } from "../../sim/index.ts";
import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import { defineApplication } from "../application/defineApplication.ts";
import { PERCEPTION_RATE_KNOB } from "../application/perceptionRateKnob.ts";
import type { NnInjection } from "../../optimizer/index.ts";
import { createLaneMaskSource } from "../perception/createPerception.ts";
import type { LaneMaskErrorInput } from "../perception/PerceptionConfig.ts";
import type { LaneMaskSource } from "../perception/PerceptionSource.ts";
import { LANE_PERCEPTION_FIELDS } from "../runtime/PerceptionLog.ts";
import { gemLoop } from "./gemLoop.ts";
import { laneGeometry } from "./LaneGeometry.ts";

/** Distance from the GEM e2 body centre (its pose) to the front axle, where Stanley's errors are taken. */
const GEM_FRONT_AXLE = trackingPointAhead("gem");

/** A lane-mask injection as the mask error model, clamped to its ranges; none when absent. */
function laneError(inj: NnInjection | undefined): LaneMaskErrorInput {
  if (inj === undefined || inj.kind !== "lane-mask") return { dropRate: 0, falsePositiveRate: 0, shiftPx: 0, shiftStdPx: 0 };
  const clamp = (x: number, hi: number) => Math.min(hi, Math.max(0, x));
  return {
    dropRate: clamp(inj.dropRate, 1),
    falsePositiveRate: clamp(inj.falsePositiveRate, 0.5),
    shiftPx: inj.shiftPx,
    shiftStdPx: Math.max(0, inj.shiftStdPx),
    lossRate: clamp(inj.lossRate ?? 0, 1),
    farDropRate: clamp(inj.farDropRate ?? 0, 1),
    dilatePx: clamp(inj.dilatePx ?? 0, 16),
    blobsPerFrame: clamp(inj.blobsPerFrame ?? 0, 50),
    blobRadiusPx: clamp(inj.blobRadiusPx ?? 0, 64),
  };
}

/**
 * The Polaris GEM e2 cart keeping its lane: LaneNet masks, lane
 * post-processing (bird's-eye view, robust fits), Stanley steering. QoS:
 * no collision with the cones along the road edges, and the front axle within 1 m of the lane centre.
 */
export const gemApplication: ApplicationSpec = defineApplication<"track", LaneMaskSource>({
  name: "gem",
  description:
    "GEM e2 cart keeping its lane (LaneNet, lane post-processing, Stanley); QoS: no cone hit, front axle within 1 m of the lane centre",
  module: import.meta.url,
  world: { kind: "track", default: "gem-track" },
  robot: "gem",
  defaults: { fps: 20, speed: 2.8 },
  networks: [
    {
      name: "lanenet",
      description: "lane-marking mask of the camera frame",
      input: { channels: 3 },
      output: { kind: "mask", channels: [1, 2] },
      injection: "lane-mask",
      metric: "iou@0",
      closedForm: {
        family: "lane-drop",
        // The oracle mask size (RunConfig maskSize default, H × W).
        maskShape: [120, 160],
        metrics: { recall: "recall", iou: "iou" },
        bounds: [1, 0.2],
      },
    },
  ],
  knobs: [PERCEPTION_RATE_KNOB],
  // Cone-free and in its lane: a LaneNet that loses the lane can drift metres off the lane centre without
  // touching a cone on a straight. The narrowest lane of the track distribution is 4.2 m and the cart 1.3 m
  // wide, so its side leaves the lane 1.45 m from the centre; 1.0 m at the front axle leaves room for its
  // yaw. Oracle perception stays within 0.3 m.
  goal: { collisions: 0, crossTrackMax: 1.0 },
  objective: "utilization",
  createPerception: (config) => createLaneMaskSource(config.perception, { ...config.maskSize }, gemApplication),
  perceptionFields: LANE_PERCEPTION_FIELDS,
  loop: ({ sim, world, scheduler, perception, recorder, config, fps, speed, perceptionLog }) =>
    gemLoop(sim, scheduler, perception, recorder, {
      fps,
      latency: config.latency,
      controlHz: config.controlHz,
      lane: laneGeometry(world.preset),
      stanley: { speed },
      frontAxleX: GEM_FRONT_AXLE,
      perceptionLog,
    }),
  injectedPerception: (errors) => ({ kind: "injected", lane: laneError(errors.lanenet) }),
  onnxPerception: (models) => ({ kind: "onnx", model: models.lanenet }),
});
