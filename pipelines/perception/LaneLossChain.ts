import type { Random } from "../../common/index.ts";

/**
 * Whether a degraded lane network has lost the lane, frame by frame: a
 * two-state Markov chain whose stationary share of lost frames is `rate` and
 * whose lost episodes last `burst` frames on average (Gilbert–Elliott). A
 * network that fails on a bend or on worn paint fails on every frame of it,
 * so losses come in episodes rather than as independent frames.
 */
export class LaneLossChain {
  private readonly enter: number;
  private readonly leave: number;
  private lost: boolean | undefined;

  /**
   * @param rate stationary share of lost frames, in [0, 1].
   * @param burst mean episode length (frames); raised to 1 / (1 − rate), the length of independent losses, when lower.
   */
  constructor(
    readonly rate: number,
    burst: number,
  ) {
    const b = rate < 1 ? Math.max(burst, 1 / (1 - rate)) : Infinity;
    this.leave = rate < 1 ? 1 / b : 0;
    this.enter = rate < 1 ? (rate * this.leave) / (1 - rate) : 1;
  }

  /** Advances one frame; true when this frame is lost. Draws nothing when `rate` is 0. */
  next(rng: Random): boolean {
    if (this.rate <= 0) return false;
    if (this.lost === undefined) this.lost = rng.next() < this.rate;
    else this.lost = this.lost ? rng.next() >= this.leave : rng.next() < this.enter;
    return this.lost;
  }
}
