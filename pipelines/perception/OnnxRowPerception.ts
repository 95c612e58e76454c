import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { ApplicationSpec } from "../application/ApplicationSpec.ts";
import { checkFrameModel } from "./checkFrameModel.ts";
import type { OnnxFrameModel } from "./OnnxFrameModel.ts";
import type { CameraRequest } from "./PerceptionConfig.ts";
import type { RowMeasurement, RowPerceptionSource } from "./PerceptionSource.ts";

/**
 * CropFollow perception by CNNs on the frame rendered at the model's input
 * size ({@link OnnxFrameModel} preprocessing). With one network, (φ, d) are
 * the first two values of its first output, or the first values of its first
 * two outputs. With a separate distance network (the original CropFollow
 * layout: `heading.onnx` + `distance.onnx`), φ is the heading network's first
 * output value and d the distance network's; both see the same frame. The
 * models' outputs are checked against the application's network specs.
 */
export class OnnxRowPerception implements RowPerceptionSource {
  readonly kind = "onnx" as const;
  readonly camera: CameraRequest;
  private sim: Simulation | undefined;
  private frame: Uint8Array;
  private readonly out: RowMeasurement = { heading: 0, distanceRatio: 0.5 };

  /** @param spec the application (its `networks`: heading, then distance). */
  constructor(
    private readonly model: OnnxFrameModel,
    hfovDeg: number | undefined,
    spec: Pick<ApplicationSpec, "name" | "networks">,
    private readonly distanceModel?: OnnxFrameModel,
  ) {
    check(
      !distanceModel || (distanceModel.width === model.width && distanceModel.height === model.height),
      distanceModel?.path ?? "",
      () => `input ${distanceModel!.width}×${distanceModel!.height} differs from the heading network's ${model.width}×${model.height}`,
    );
    if (distanceModel) {
      checkFrameModel(model, spec.networks.slice(0, 1), spec.name);
      checkFrameModel(distanceModel, spec.networks.slice(1, 2), spec.name);
    } else checkFrameModel(model, spec.networks, spec.name);
    this.camera = { width: model.width, height: model.height, hfovDeg };
    this.frame = new Uint8Array(model.width * model.height * 3);
  }

  attach(sim: Simulation, _rng: Random): void {
    check(sim.world.kind === "cropfield", "perception", () => `row perception needs a crop-field world, got a ${sim.world.kind} world`);
    this.sim = sim;
  }

  async perceive(): Promise<RowMeasurement> {
    this.frame = this.sim!.renderCamera(this.frame);
    const outputs = await this.model.run(this.frame);
    const names = this.model.outputNames;
    const first = outputs[names[0]].data as Float32Array;
    if (this.distanceModel) {
      const d = await this.distanceModel.run(this.frame);
      this.out.heading = first[0];
      this.out.distanceRatio = (d[this.distanceModel.outputNames[0]].data as Float32Array)[0];
    } else if (first.length >= 2) {
      this.out.heading = first[0];
      this.out.distanceRatio = first[1];
    } else {
      check(
        names.length >= 2,
        this.model.path,
        () => "expected an output with 2 values (φ, d), two 1-value outputs, or a separate distance model",
      );
      this.out.heading = first[0];
      this.out.distanceRatio = (outputs[names[1]].data as Float32Array)[0];
    }
    return this.out;
  }

  dispose(): void {
    this.sim = undefined;
    void this.model.dispose();
    if (this.distanceModel) void this.distanceModel.dispose();
  }
}
