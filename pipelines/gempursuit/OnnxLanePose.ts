import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import { checkFrameModel } from "../perception/checkFrameModel.ts";
import type { OnnxFrameModel } from "../perception/OnnxFrameModel.ts";
import type { CameraRequest } from "../perception/PerceptionConfig.ts";
import type { LanePose, LanePoseSource } from "./LanePoseSource.ts";

/**
 * Lane pose by a regression CNN on the frame rendered at the model's input
 * size ({@link OnnxFrameModel} preprocessing): its first output holds
 * (cross-track, heading error) — the `lanepose` dataset's label columns.
 */
export class OnnxLanePose implements LanePoseSource {
  readonly kind = "onnx" as const;
  readonly camera: CameraRequest;
  private sim: Simulation | undefined;
  private frame: Uint8Array;
  private readonly out: LanePose = { crossTrack: 0, headingError: 0 };

  /** @param spec the application (its one network: the lane-pose CNN, 2 values). */
  constructor(
    private readonly model: OnnxFrameModel,
    hfovDeg: number | undefined,
    spec: Pick<ApplicationSpec, "name" | "networks">,
  ) {
    checkFrameModel(model, spec.networks.slice(0, 1), spec.name);
    this.camera = { width: model.width, height: model.height, hfovDeg };
    this.frame = new Uint8Array(model.width * model.height * 3);
  }

  attach(sim: Simulation, _rng: Random): void {
    check(sim.world.kind === "track", "perception", () => `lane-pose perception needs a track world, got a ${sim.world.kind} world`);
    this.sim = sim;
  }

  async perceive(): Promise<LanePose> {
    this.frame = this.sim!.renderCamera(this.frame);
    const outputs = await this.model.run(this.frame);
    const first = outputs[this.model.outputNames[0]];
    check(
      first.data.length === 2,
      `${this.model.path}: output ${this.model.outputNames[0]}`,
      () => `expected 2 values (crossTrack, headingError), got [${first.dims.join(", ")}]`,
    );
    const data = first.data as Float32Array;
    this.out.crossTrack = data[0];
    this.out.headingError = data[1];
    return this.out;
  }

  dispose(): void {
    this.sim = undefined;
    void this.model.dispose();
  }
}
