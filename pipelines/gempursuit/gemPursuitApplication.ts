import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import { defineApplication } from "../application/defineApplication.ts";
import { PERCEPTION_RATE_KNOB } from "../application/perceptionRateKnob.ts";
import { OnnxFrameModel } from "../perception/OnnxFrameModel.ts";
import type { PerceptionConfig } from "../perception/PerceptionConfig.ts";
import { regressionErrorOf } from "../perception/regressionErrorOf.ts";
import { gemPursuitLoop } from "./gemPursuitLoop.ts";
import { InjectedLanePose } from "./InjectedLanePose.ts";
import type { LanePoseSource } from "./LanePoseSource.ts";
import { OnnxLanePose } from "./OnnxLanePose.ts";
import { OracleLanePose } from "./OracleLanePose.ts";

/** The lane-pose network's name: the key of its model file, injected error and metric axis. */
const NN = "lanepose";

/** The lane-pose source a validated perception configuration describes (loads the ONNX model for `onnx`). */
async function createLanePoseSource(config: PerceptionConfig, spec: Pick<ApplicationSpec, "name" | "networks">): Promise<LanePoseSource> {
  switch (config.kind) {
    case "oracle":
      return new OracleLanePose();
    case "injected": {
      const err = config.networks?.[NN];
      return new InjectedLanePose(regressionErrorOf(err, 0), regressionErrorOf(err, 1));
    }
    case "onnx":
      return new OnnxLanePose(await OnnxFrameModel.load(config.model, config, config.threads), config.hfovDeg, spec);
  }
}

/**
 * The Polaris GEM e2 cart on winding tracks, steered by pure pursuit: one
 * small CNN regresses the lane pose 8 m ahead (cross-track offset in m,
 * heading error in rad) from the camera frame, and pure pursuit steers onto
 * the lane centre there. QoS: collisions with the cones along the road edges.
 */
export const gemPursuitApplication: ApplicationSpec = defineApplication<"track", LanePoseSource>({
  name: "gem-pursuit",
  description: "GEM e2 cart on winding tracks (lane-pose CNN, pure pursuit); QoS: collisions with cones",
  module: import.meta.url,
  world: { kind: "track", default: "gem-serpentine" },
  robot: "gem",
  defaults: { fps: 10, speed: 4 },
  networks: [
    {
      name: NN,
      description: "lane pose 8 m ahead: cross-track offset (m) and heading error (rad)",
      input: { channels: 3 },
      // Two outputs judged against both label columns of the lanepose dataset (crossTrack, headingError).
      output: { kind: "vector", size: 2 },
      injection: "gaussian",
      metric: "l1Error",
      // Closed form: the same σ on both outputs; the cross-track offset dominates (heading errors barely move the goal point).
      closedForm: { family: "gaussian", metrics: { l1: "l1Error", l2: "l2Error" }, bounds: [0, 2] },
    },
  ],
  knobs: [PERCEPTION_RATE_KNOB],
  goal: { collisions: 0 },
  objective: "utilization",
  createPerception: (config) => createLanePoseSource(config.perception, gemPursuitApplication),
  loop: ({ sim, scheduler, perception, recorder, config, fps, speed }) =>
    gemPursuitLoop(sim, scheduler, perception, recorder, { fps, latency: config.latency, controlHz: config.controlHz, pursuit: { speed } }),
  // ApplicationQos has checked each error's kind against the network's `injection`.
  injectedPerception: (errors) => {
    const err = errors[NN];
    if (err?.kind !== "gaussian") return { kind: "injected" };
    const { kind: _, ...arrays } = err;
    return { kind: "injected", networks: { [NN]: { ...arrays, std: err.std.map((s) => Math.max(0, s)) } } };
  },
  onnxPerception: (models) => ({ kind: "onnx", model: models[NN] }),
});
