import { check } from "../../common/index.ts";
import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import type { CameraRequest, PerceptionConfig } from "./PerceptionConfig.ts";
import type { LaneMaskSource, RowPerceptionSource } from "./PerceptionSource.ts";
import { InjectedLaneMask } from "./InjectedLaneMask.ts";
import { InjectedRowPerception } from "./InjectedRowPerception.ts";
import { OnnxFrameModel } from "./OnnxFrameModel.ts";
import { OnnxLaneMask } from "./OnnxLaneMask.ts";
import { OnnxRowPerception } from "./OnnxRowPerception.ts";
import { OracleLaneMask } from "./OracleLaneMask.ts";
import { OracleRowPerception } from "./OracleRowPerception.ts";

/**
 * The CropFollow perception source a validated configuration describes (loads the ONNX models when
 * `onnx`, checked against `spec`'s networks).
 */
export async function createRowPerception(
  config: PerceptionConfig,
  spec: Pick<ApplicationSpec, "name" | "networks">,
): Promise<RowPerceptionSource> {
  switch (config.kind) {
    case "oracle":
      return new OracleRowPerception();
    case "injected":
      return new InjectedRowPerception(config.heading, config.distance);
    case "onnx": {
      const heading = await OnnxFrameModel.load(config.model, config, config.threads);
      const distance = config.distanceModel ? await OnnxFrameModel.load(config.distanceModel, config, config.threads) : undefined;
      return new OnnxRowPerception(heading, config.hfovDeg, spec, distance);
    }
  }
}

/**
 * The GEM lane-mask source a validated configuration describes. `camera` is
 * the mask camera for oracle and injected masks; ONNX sources render at the
 * model's input size instead, its output checked against `spec`'s network.
 */
export async function createLaneMaskSource(
  config: PerceptionConfig,
  camera: CameraRequest,
  spec: Pick<ApplicationSpec, "name" | "networks">,
): Promise<LaneMaskSource> {
  switch (config.kind) {
    case "oracle":
      return new OracleLaneMask(camera, config.laneMask, config.maskPool);
    case "injected":
      return new InjectedLaneMask(camera, config.lane, config.laneMask, config.maskPool);
    case "onnx":
      check(config.distanceModel === undefined, "perception.distanceModel", () => "only CropFollow uses a distance network");
      return new OnnxLaneMask(await OnnxFrameModel.load(config.model, config, config.threads), config.hfovDeg, config.threshold, spec);
  }
}
