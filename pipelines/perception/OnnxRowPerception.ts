import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { OnnxFrameModel } from "./OnnxFrameModel.ts";
import type { CameraRequest } from "./PerceptionConfig.ts";
import type { RowMeasurement, RowPerceptionSource } from "./PerceptionSource.ts";

/**
 * CropFollow perception by a CNN: the frame rendered at the model's input
 * size goes through {@link OnnxFrameModel}; outputs are read as
 * (φ, d) = the first two values of the first output, or, when the model has
 * two outputs of one value each, (first, second).
 */
export class OnnxRowPerception implements RowPerceptionSource {
  readonly kind = "onnx" as const;
  readonly camera: CameraRequest;
  private sim: Simulation | undefined;
  private frame: Uint8Array;
  private readonly out: RowMeasurement = { heading: 0, distanceRatio: 0.5 };

  constructor(
    private readonly model: OnnxFrameModel,
    hfovDeg: number | undefined,
  ) {
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
    if (first.length >= 2) {
      this.out.heading = first[0];
      this.out.distanceRatio = first[1];
    } else {
      check(names.length >= 2, this.model.path, () => "expected an output with 2 values (φ, d) or two 1-value outputs");
      this.out.heading = first[0];
      this.out.distanceRatio = (outputs[names[1]].data as Float32Array)[0];
    }
    return this.out;
  }

  dispose(): void {
    this.sim = undefined;
    void this.model.dispose();
  }
}
