import type { Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import { GroundProjection } from "../gem/GroundProjection.ts";
import { applyLaneMaskError } from "./applyLaneMaskError.ts";
import { LaneLossChain } from "./LaneLossChain.ts";
import { OracleLaneMask } from "./OracleLaneMask.ts";
import type { CameraRequest, LaneMaskError } from "./PerceptionConfig.ts";

/** The oracle lane mask with the error model {@link LaneMaskError} applied (seeded per run). */
export class InjectedLaneMask extends OracleLaneMask {
  override readonly kind = "injected" as const;
  private rng: Random | undefined;
  private firstRow = 0;
  private loss: LaneLossChain | undefined;
  private lossRng: Random | undefined;

  constructor(
    maskSize: CameraRequest,
    readonly error: LaneMaskError,
    mode: "exact" | "rendered" = "exact",
    pool = 1,
  ) {
    super(maskSize, mode, pool);
  }

  override attach(sim: Simulation, rng: Random): void {
    super.attach(sim, rng);
    this.rng = rng.fork("injected-lane");
    this.lossRng = rng.fork("injected-lane-loss");
    this.loss = new LaneLossChain(this.error.lossRate, this.error.lossBurstFrames);
    const cam = this.maskCamera();
    // False positives only where the camera sees ground (no range limit).
    this.firstRow = new GroundProjection(cam, Infinity).firstRow;
  }

  override perceive(): Uint8Array {
    const mask = super.perceive();
    // A stream of its own, so adding the loss term leaves the pixel model's draws where they were.
    if (this.loss!.next(this.lossRng!)) return mask.fill(0);
    const cam = this.maskCamera();
    return applyLaneMaskError(mask, cam.width, cam.height, this.firstRow, this.error, this.rng!);
  }
}
