import { parseInput, type Random } from "../../common/index.ts";
import type { Simulation } from "../../sim/index.ts";
import { RegressionErrorSchema, type RegressionError, type RegressionErrorInput } from "./PerceptionConfig.ts";
import { RegressionErrorProcess } from "./RegressionErrorProcess.ts";

/**
 * The injected errors of a regression perception's outputs over one run, one
 * {@link RegressionErrorProcess} per output, on a random stream of their own
 * forked from the run's perception stream (so a configuration and seed always
 * give the same values). Shared by every oracle-plus-error source.
 */
export class InjectedRegressionErrors {
  private sim: Simulation | undefined;
  private rng: Random | undefined;
  private processes: RegressionErrorProcess[] = [];
  /** Each output's error, validated, defaults filled. */
  readonly errors: readonly RegressionError[];

  /**
   * @param stream name of the forked random stream (kept per source so seeds reproduce earlier runs).
   * @throws InputError naming `stream`, the output and the field of a bad error term.
   */
  constructor(
    errors: readonly RegressionErrorInput[],
    private readonly stream: string,
  ) {
    this.errors = errors.map((e, k) => parseInput(RegressionErrorSchema, e, `${stream} output ${k}`, "object"));
  }

  /**
   * Starts a run: fresh processes, clocked by `sim`, drawing from `rng` forked by the stream name. An
   * output with `perRun` alternatives runs one of them, and one with a `runOffset` shifts its bias by
   * one draw for the run, each drawn on a stream of its own (so outputs without them draw what they drew
   * before those terms existed, and every level of a sweep meets the same offsets on the same seed).
   */
  attach(sim: Simulation, rng: Random): void {
    this.sim = sim;
    this.rng = rng.fork(this.stream);
    this.processes = this.errors.map((e, k) => {
      const terms = e.perRun ? e.perRun[this.rng!.fork(`per-run-${k}`).int(0, e.perRun.length - 1)] : e;
      if (terms.runOffset === 0) return new RegressionErrorProcess(terms);
      return new RegressionErrorProcess({ ...terms, bias: terms.bias + terms.runOffset * this.rng!.fork(`run-offset-${k}`).normal() });
    });
  }

  /** Output `k`'s measurement: `truth` plus its error at the current simulated time. */
  apply(k: number, truth: number): number {
    return truth + this.processes[k].sample(truth, this.sim!.time, this.rng!);
  }
}
