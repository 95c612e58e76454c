import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import { defineApplication } from "../application/defineApplication.ts";
import { PERCEPTION_RATE_KNOB } from "../application/perceptionRateKnob.ts";
import type { NnInjection } from "../../optimizer/index.ts";
import { createRowPerception } from "../perception/createPerception.ts";
import { regressionErrorOf } from "../perception/regressionErrorOf.ts";
import type { RowPerceptionSource } from "../perception/PerceptionSource.ts";
import { ROW_PERCEPTION_FIELDS } from "../runtime/PerceptionLog.ts";
import { cropFollowLoop } from "./cropFollowLoop.ts";

/** The error of the (only) output of a regression injection; none when absent. */
const regressionError = (inj: NnInjection | undefined) => regressionErrorOf(inj?.kind === "gaussian" ? inj : undefined, 0);

/**
 * CropFollow on TerraSentia: a heading CNN and a distance CNN on camera
 * frames, fused with IMU and odometry by an EKF, steered by MPC down the crop
 * row. QoS: collisions with plants.
 */
export const cropFollowApplication: ApplicationSpec = defineApplication<"cropfield", RowPerceptionSource>({
  name: "cropfollow",
  description: "TerraSentia following a crop row (heading + distance CNNs, EKF, MPC); QoS: collisions with plants",
  module: import.meta.url,
  world: { kind: "cropfield", default: "cropfield-straight" },
  robot: "terrasentia",
  defaults: { fps: 10, speed: 0.6 },
  networks: [
    {
      name: "heading",
      description: "heading φ of the robot relative to the row (rad)",
      input: { channels: 3 },
      output: { kind: "vector", size: 1 },
      labelColumn: "heading",
      // Pruned CropFollow networks lose the signal before they get noisy: the Gaussian family's calibration
      // predicted passes where the real networks failed (README, "Regression errors that fail like real CNNs").
      errorModel: "structured",
      perceptionField: "heading",
      injection: "gaussian",
      metric: "l1Error",
      closedForm: { family: "gaussian", metrics: { l1: "l1Error", l2: "l2Error" }, bounds: [0, 0.35] },
    },
    {
      name: "distance",
      description: "distance ratio d = dL/(dL+dR) between the rows (0.5 centred)",
      input: { channels: 3 },
      output: { kind: "vector", size: 1 },
      labelColumn: "distance",
      errorModel: "structured",
      perceptionField: "distanceRatio",
      injection: "gaussian",
      metric: "l1Error",
      closedForm: { family: "gaussian", metrics: { l1: "l1Error", l2: "l2Error" }, bounds: [0, 0.2] },
    },
  ],
  knobs: [PERCEPTION_RATE_KNOB],
  goal: { collisions: 0 },
  objective: "min-fps",
  createPerception: (config) => createRowPerception(config.perception, cropFollowApplication),
  perceptionFields: ROW_PERCEPTION_FIELDS,
  loop({ sim, world, scheduler, perception, recorder, config, fps, speed, perceptionLog }) {
    const rf = world.rowFrame(world.startPose);
    return cropFollowLoop(sim, scheduler, perception, recorder, {
      fps,
      latency: config.latency,
      imuHz: config.imuHz,
      controlHz: config.controlHz,
      speed,
      rowSpacing: rf.dLeft + rf.dRight,
      perceptionLog,
    });
  },
  injectedPerception: (errors) => ({ kind: "injected", heading: regressionError(errors.heading), distance: regressionError(errors.distance) }),
  onnxPerception: (models) => ({ kind: "onnx", model: models.heading, distanceModel: models.distance }),
});
