import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { CameraModel } from "../../sim/index.ts";
import { scaleCameraModel } from "../gem/CameraModel.ts";
import { cameraModelFor } from "../runtime/cameraModelFor.ts";
import type { ApplicationSpec, NetworkSpec } from "../application/ApplicationSpec.ts";
import { checkFrameModel, describeSpecOutput } from "./checkFrameModel.ts";
import type { OnnxFrameModel } from "./OnnxFrameModel.ts";
import type { CameraRequest } from "./PerceptionConfig.ts";
import type { LaneMaskSource } from "./PerceptionSource.ts";

/**
 * GEM lane perception by a segmentation CNN (LaneNet-style binary branch).
 * The first output must be [1, C, h, w]: with C = 1 a pixel is lane when its
 * value exceeds `threshold` (0 for logits); with C = 2 when channel 1 beats
 * channel 0. The mask may be smaller than the frame; {@link maskCamera}
 * scales the intrinsics to match.
 */
export class OnnxLaneMask implements LaneMaskSource {
  readonly kind = "onnx" as const;
  readonly camera: CameraRequest;
  private sim: Simulation | undefined;
  private frame: Uint8Array;
  private mask = new Uint8Array(0);
  private cam: CameraModel | undefined;

  private readonly network: NetworkSpec;

  /** @param spec the application (its one network: the lane-mask CNN). */
  constructor(
    private readonly model: OnnxFrameModel,
    hfovDeg: number | undefined,
    private readonly threshold: number,
    spec: Pick<ApplicationSpec, "name" | "networks">,
  ) {
    this.network = spec.networks[0];
    checkFrameModel(model, [this.network], spec.name);
    this.camera = { width: model.width, height: model.height, hfovDeg };
    this.frame = new Uint8Array(model.width * model.height * 3);
  }

  attach(sim: Simulation, _rng: Random): void {
    check(sim.world.kind === "track", "perception", () => `lane-mask perception needs a track world, got a ${sim.world.kind} world`);
    this.sim = sim;
  }

  /** The camera at the mask's resolution; known once the first mask has been produced. */
  maskCamera(): CameraModel {
    check(this.cam, "perception", () => "the ONNX mask size is known after the first frame");
    return this.cam;
  }

  async perceive(): Promise<Uint8Array> {
    this.frame = this.sim!.renderCamera(this.frame);
    const outputs = await this.model.run(this.frame);
    const t = outputs[this.model.outputNames[0]];
    const dims = t.dims;
    const channels = this.network.output.kind === "mask" ? this.network.output.channels : [];
    check(
      dims.length === 4 && dims[0] === 1 && channels.includes(dims[1] as 1 | 2),
      `${this.model.path}: output`,
      () => `expected ${describeSpecOutput(this.network)} with N = 1, got [${dims.join(", ")}]`,
    );
    const [, c, h, w] = dims;
    if (this.mask.length !== h * w) {
      this.mask = new Uint8Array(h * w);
      this.cam = scaleCameraModel(cameraModelFor(this.sim!, this.camera), w, h);
    }
    const data = t.data as Float32Array;
    const plane = h * w;
    if (c === 1) for (let i = 0; i < plane; i++) this.mask[i] = data[i] > this.threshold ? 1 : 0;
    else for (let i = 0; i < plane; i++) this.mask[i] = data[plane + i] > data[i] ? 1 : 0;
    return this.mask;
  }

  dispose(): void {
    this.sim = undefined;
    void this.model.dispose();
  }
}
