import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { OnnxFrameModel } from "./OnnxFrameModel.ts";
import type { CameraRequest } from "./PerceptionConfig.ts";
import type { RowMeasurement, RowPerceptionSource } from "./PerceptionSource.ts";

/**
 * CropFollow perception by CNNs on the frame rendered at the model's input
 * size ({@link OnnxFrameModel} preprocessing). With one network, (φ, d) are
 * the first two values of its first output, or the first values of its first
 * two outputs. With a separate distance network (the original CropFollow
 * layout: `heading.onnx` + `distance.onnx`), φ is the heading network's first
 * output value and d the distance network's; both see the same frame.
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
    private readonly distanceModel?: OnnxFrameModel,
  ) {
    check(
      !distanceModel || (distanceModel.width === model.width && distanceModel.height === model.height),
      distanceModel?.path ?? "",
      () => `input ${distanceModel!.width}×${distanceModel!.height} differs from the heading network's ${model.width}×${model.height}`,
    );
    checkRowOutputs(model, distanceModel);
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

/**
 * Refuses networks whose outputs are not a (φ, d) regression before any run:
 * one output of 2 values, two outputs of 1 value, or 1 value each from the
 * heading and the distance network. (A segmentation net's mask would
 * otherwise be read as (φ, d) from its first two pixels.)
 */
function checkRowOutputs(model: OnnxFrameModel, distanceModel: OnnxFrameModel | undefined): void {
  const outputs = model.outputNames.map((_, i) => model.describeOutput(i)).join(", ");
  if (distanceModel) {
    for (const [m, role] of [
      [model, "heading network"],
      [distanceModel, "distance network"],
    ] as const) {
      const v = m.outputValues(0);
      check(v === undefined || v === 1, m.path, () => `CropFollow ${role}: expected output [N, 1], got ${m.describeOutput(0)}`);
    }
    return;
  }
  const first = model.outputValues(0);
  const second = model.outputNames.length > 1 ? model.outputValues(1) : undefined;
  const ok = first === undefined || first === 2 || (first === 1 && model.outputNames.length > 1 && (second === undefined || second === 1));
  check(
    ok,
    model.path,
    () => `CropFollow perception network: expected output [N, 2] (φ, d), two [N, 1] outputs, or [N, 1] with a distance network; got ${outputs}`,
  );
}
