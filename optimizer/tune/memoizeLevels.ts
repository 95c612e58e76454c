import { modelOf, type ApproxLevel, type Approximator } from "../approx/Approximator.ts";
import type { Model } from "../onnx/ir.ts";

/**
 * An approximator whose levels are computed once per model and replayed
 * afterwards, so error calibration and guided tuning see the same levels and
 * expensive ones (retrained after every step) are produced once. Keeps every
 * level of every model it has seen in memory.
 *
 * @example
 * const pruner = memoizeLevels(new StructuredPruner({ nSteps: 6, pruneFraction: 0.35, finetune }));
 * await findErrorDistribution([pruner], [nn], dataset);   // prunes and retrains
 * await optimize(pruner, constraints, [nn], dataset, qos);  // replays
 */
export function memoizeLevels(approximator: Approximator): Approximator {
  const memo = new Map<Model, ApproxLevel[]>();
  return {
    name: approximator.name,
    nSteps: approximator.nSteps,
    async *levels(nn) {
      const model = modelOf(nn);
      let levels = memo.get(model);
      if (!levels) {
        levels = [];
        for await (const level of approximator.levels(model)) levels.push(level);
        memo.set(model, levels);
      }
      yield* levels;
    },
  };
}
