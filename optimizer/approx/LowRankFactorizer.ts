import { check } from "../../common/index.ts";
import { modelOf, type ApproxLevel, type Approximator, type ModelSource } from "./Approximator.ts";
import { factorizeModel } from "./factorizeModel.ts";
import { finetune, type FinetuneRecipe } from "./finetune.ts";
import type { Svd } from "./lowrank/svd.ts";

/** Options of {@link LowRankFactorizer}. */
export interface LowRankFactorizerOptions {
  /** Number of levels. */
  nSteps: number;
  /**
   * Fraction of the remaining rank removed per step, in (0, 1): level k keeps
   * (1 − rankFraction)^k of each layer's full rank. @default 0.5
   */
  rankFraction?: number;
  /** Retrain each level (learning-rate rewinding); omitted = no retraining. */
  finetune?: FinetuneRecipe;
}

/**
 * Low-rank factorization levels (Tai et al. 2016): level k factorizes every
 * eligible K×K conv of the (BatchNorm-folded) original at rank
 * full·(1 − rankFraction)^k, so ranks shrink geometrically; layers where
 * the factorization would not save MACs stay as they are. Each kernel's SVD
 * is computed once and reused by all levels.
 */
export class LowRankFactorizer implements Approximator {
  readonly name = "lowrank";
  readonly nSteps: number;
  private readonly rankFraction: number;
  private readonly recipe: FinetuneRecipe | undefined;

  constructor(opts: LowRankFactorizerOptions) {
    check(Number.isInteger(opts.nSteps) && opts.nSteps >= 1, "LowRankFactorizer.nSteps", () => `must be a positive integer, got ${opts.nSteps}`);
    const f = opts.rankFraction ?? 0.5;
    check(Number.isFinite(f) && f > 0 && f < 1, "LowRankFactorizer.rankFraction", () => `must be in (0, 1), got ${f}`);
    this.nSteps = opts.nSteps;
    this.rankFraction = f;
    this.recipe = opts.finetune;
  }

  /** Fraction of each layer's rank removed at `level`. */
  fractionAt(level: number): number {
    return 1 - (1 - this.rankFraction) ** level;
  }

  async *levels(nn: ModelSource): AsyncIterable<ApproxLevel> {
    const original = modelOf(nn);
    const svdCache = new Map<string, Svd>();
    for (let level = 1; level <= this.nSteps; level++) {
      const fraction = this.fractionAt(level);
      let { model } = factorizeModel(original, fraction, { svdCache });
      if (this.recipe) model = await finetune(model, this.recipe);
      yield { level, fraction, model };
    }
  }
}
