import type { Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import { requireWorldKind, type CropFieldWorld } from "../../worlds/index.ts";
import type { RowMeasurement, RowPerceptionSource } from "./PerceptionSource.ts";

/** Exact (φ, d) from the crop field's ground truth (`world.rowFrame`) at the robot's true pose. */
export class OracleRowPerception implements RowPerceptionSource {
  readonly kind: "oracle" | "injected" = "oracle";
  readonly camera = undefined;
  private sim: Simulation | undefined;
  private world: CropFieldWorld | undefined;
  private readonly out: RowMeasurement = { heading: 0, distanceRatio: 0.5 };

  attach(sim: Simulation, _rng: Random): void {
    this.world = requireWorldKind(sim.world, "cropfield", "perception", "row perception");
    this.sim = sim;
  }

  perceive(): RowMeasurement {
    const f = this.world!.rowFrame(this.sim!.pose());
    this.out.heading = f.heading;
    this.out.distanceRatio = f.distanceRatio;
    return this.out;
  }

  dispose(): void {
    this.sim = undefined;
    this.world = undefined;
  }
}
