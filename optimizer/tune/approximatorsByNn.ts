import { check } from "../../common/index.ts";
import type { Approximator } from "../approx/Approximator.ts";
import type { ModelRunner } from "../metrics/ModelRunner.ts";

/** Approximators for every NN: one, a list, or a record by NN name. */
export type ApproximatorsInput = Approximator | readonly Approximator[] | Readonly<Record<string, Approximator | readonly Approximator[]>>;

/**
 * The approximators of each NN: the same for every NN (one or a list), or a
 * record by NN name (e.g. pruners whose fine-tuning recipes train each NN on
 * its own label column).
 * @throws InputError when the record names an NN that is not in `nns`.
 */
export function approximatorsByNn(approximators: ApproximatorsInput, nns: readonly ModelRunner[]): (nn: string) => readonly Approximator[] {
  if (Array.isArray(approximators)) return () => approximators as readonly Approximator[];
  if (isApproximator(approximators)) return () => [approximators];
  const byNn = approximators as Readonly<Record<string, Approximator | readonly Approximator[]>>;
  for (const name of Object.keys(byNn)) {
    check(
      nns.some((n) => n.name === name),
      `approximators.${name}`,
      () => `not one of the NNs (${nns.map((n) => n.name).join(", ")})`,
    );
  }
  return (nn) => {
    const a = byNn[nn];
    return a === undefined ? [] : Array.isArray(a) ? (a as readonly Approximator[]) : [a as Approximator];
  };
}

function isApproximator(x: unknown): x is Approximator {
  return typeof (x as Approximator).levels === "function" && typeof (x as Approximator).nSteps === "number";
}
