import type { Random } from "../../common/index.ts";
import { check } from "../../common/index.ts";
import { lanePoseLabel, type Simulation } from "../../sim/index.ts";
import type { LanePose, LanePoseSource } from "./LanePoseSource.ts";

/** Exact lane pose from the track's ground truth at the cart's true pose (the dataset's label, computed the same way). */
export class OracleLanePose implements LanePoseSource {
  readonly kind: "oracle" | "injected" = "oracle";
  readonly camera = undefined;
  private sim: Simulation | undefined;
  private readonly label: [number, number] = [0, 0];
  private readonly out: LanePose = { crossTrack: 0, headingError: 0 };

  attach(sim: Simulation, _rng: Random): void {
    check(sim.world.kind === "track", "perception", () => `lane-pose perception needs a track world, got a ${sim.world.kind} world`);
    this.sim = sim;
  }

  perceive(): LanePose {
    const sim = this.sim!;
    lanePoseLabel(sim.world, sim.pose(), this.label);
    this.out.crossTrack = this.label[0];
    this.out.headingError = this.label[1];
    return this.out;
  }

  dispose(): void {
    this.sim = undefined;
  }
}
