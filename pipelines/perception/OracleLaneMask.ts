import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import { maxPoolMask } from "../../optimizer/data/poolMasks.ts";
import { requireWorldKind } from "../../worlds/index.ts";
import type { Simulation } from "../../sim/index.ts";
import type { CameraModel } from "../../sim/index.ts";
import { GroundProjection } from "../gem/GroundProjection.ts";
import { LaneMaskRasterizer } from "../gem/LaneMaskRasterizer.ts";
import { cameraModelFor } from "../runtime/cameraModelFor.ts";
import { poolingAllowed, type CameraRequest } from "./PerceptionConfig.ts";
import type { LaneMaskSource } from "./PerceptionSource.ts";

/**
 * The true lane mask at the simulation camera's resolution: drawn exactly
 * from the track geometry ({@link LaneMaskRasterizer}, `mode: "exact"`, no
 * rendering) or rasterized by the simulator (`mode: "rendered"`: only the
 * paint still present on a worn track, cones occluding it), there optionally
 * at `pool` times the size and max-pooled, like a LaneNet's training labels.
 */
export class OracleLaneMask implements LaneMaskSource {
  readonly kind: "oracle" | "injected" = "oracle";
  private sim: Simulation | undefined;
  private cam: CameraModel | undefined;
  private rasterizer: LaneMaskRasterizer | undefined;
  protected mask = new Uint8Array(0);
  /** The `pool`× rendered mask, when pooling. */
  private full = new Uint8Array(0);
  /** Rendered frames are needed only in `rendered` mode. */
  readonly camera: CameraRequest | undefined;

  /**
   * @param maskSize resolution and field of view of the mask (the robot's camera at that size).
   * @param mode `exact` (analytic, no rendering) or `rendered` (the simulator's lane-marking scene).
   * @param pool `rendered`: render at `pool` × `maskSize` per axis and max-pool to `maskSize`.
   */
  constructor(
    readonly maskSize: CameraRequest,
    readonly mode: "exact" | "rendered" = "exact",
    readonly pool = 1,
  ) {
    check(Number.isInteger(pool) && pool >= 1, "perception.maskPool", () => `expected a positive integer, got ${pool}`);
    check(poolingAllowed(mode, pool), "perception.maskPool", () => `pooling needs laneMask "rendered", got "${mode}"`);
    this.camera = mode === "rendered" ? { ...maskSize, width: maskSize.width * pool, height: maskSize.height * pool } : undefined;
  }

  attach(sim: Simulation, _rng: Random): void {
    const world = requireWorldKind(sim.world, "track", "perception", "lane-mask perception");
    this.sim = sim;
    this.cam = cameraModelFor(sim, this.maskSize);
    this.mask = new Uint8Array(this.cam.width * this.cam.height);
    if (this.pool > 1) this.full = new Uint8Array(this.mask.length * this.pool * this.pool);
    if (this.mode === "exact") {
      this.rasterizer = new LaneMaskRasterizer(world.preset, new GroundProjection(this.cam));
    } else {
      check(
        typeof (sim as { renderLaneMask?: unknown }).renderLaneMask === "function",
        "perception",
        () => "this simulation cannot render lane masks",
      );
    }
  }

  maskCamera(): CameraModel {
    return this.cam!;
  }

  perceive(): Uint8Array {
    const sim = this.sim!;
    if (this.rasterizer) return this.rasterizer.render(sim.pose(), this.mask);
    const render = (sim as unknown as { renderLaneMask(target: Uint8Array): Uint8Array }).renderLaneMask;
    if (this.pool === 1) return render.call(sim, this.mask);
    const { width, height } = this.cam!;
    maxPoolMask(render.call(sim, this.full), width * this.pool, height * this.pool, this.pool, this.mask);
    return this.mask;
  }

  dispose(): void {
    this.sim = undefined;
  }
}
