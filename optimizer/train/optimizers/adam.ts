import { check } from "../../../common/index.ts";
import type { GraphWriter } from "../GraphWriter.ts";
import type { Optimizer, ParamSlot, ParamUpdate } from "./Optimizer.ts";

/** Options of {@link adam} and {@link adamW}; defaults as PyTorch. */
export interface AdamOptions {
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.999 */
  beta2?: number;
  /** @default 1e-8 */
  epsilon?: number;
  /** Adam: L2 penalty added to the gradient; AdamW: decoupled decay. @default 0 (Adam), 0.01 (AdamW) */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba), as PyTorch's `torch.optim.Adam` (weight decay as L2 on
 * the gradient): `m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)`.
 */
export function adam(opts: AdamOptions = {}): Optimizer {
  return adamFamily("adam", opts, false);
}

/**
 * AdamW (Loshchilov & Hutter), as PyTorch's `torch.optim.AdamW`: first
 * `p ← p·(1 − lr·λ)` (decoupled weight decay), then the Adam step.
 */
export function adamW(opts: AdamOptions = {}): Optimizer {
  return adamFamily("adamw", { ...opts, weightDecay: opts.weightDecay ?? 0.01 }, true);
}

function adamFamily(kind: string, opts: AdamOptions, decoupled: boolean): Optimizer {
  const beta1 = opts.beta1 ?? 0.9;
  const beta2 = opts.beta2 ?? 0.999;
  const epsilon = opts.epsilon ?? 1e-8;
  const weightDecay = opts.weightDecay ?? 0;
  check(beta1 >= 0 && beta1 < 1, `${kind}.beta1`, () => `must be in [0, 1), got ${beta1}`);
  check(beta2 >= 0 && beta2 < 1, `${kind}.beta2`, () => `must be in [0, 1), got ${beta2}`);
  check(epsilon > 0, `${kind}.epsilon`, () => `must be > 0, got ${epsilon}`);
  check(weightDecay >= 0, `${kind}.weightDecay`, () => `must be ≥ 0, got ${weightDecay}`);
  // The bias corrections depend only on t: computed once per graph, shared by every parameter.
  const corrections = new WeakMap<GraphWriter, { stepSize: string; sqrtBc2: string }>();
  const biasCorrections = (w: GraphWriter, lr: string, t: string) => {
    let c = corrections.get(w);
    if (!c) {
      const bc1 = w.op("Sub", [w.scalar(1), w.op("Pow", [w.scalar(beta1), t])]);
      const bc2 = w.op("Sub", [w.scalar(1), w.op("Pow", [w.scalar(beta2), t])]);
      c = { stepSize: w.op("Div", [lr, bc1]), sqrtBc2: w.op("Sqrt", [bc2]) };
      corrections.set(w, c);
    }
    return c;
  };
  return {
    kind,
    stateSlots: ["m", "v"],
    config: { beta1, beta2, epsilon, weightDecay, decoupled },
    append(w: GraphWriter, { param, grad, state }: ParamSlot, lr: string, t: string): ParamUpdate {
      const { stepSize, sqrtBc2 } = biasCorrections(w, lr, t);
      let p = param;
      let g = grad;
      if (weightDecay > 0 && decoupled) {
        p = w.op("Mul", [p, w.op("Sub", [w.scalar(1), w.op("Mul", [lr, w.scalar(weightDecay)])])]);
      } else if (weightDecay > 0) {
        g = w.op("Add", [g, w.op("Mul", [param, w.scalar(weightDecay)])]);
      }
      const m = w.op("Add", [w.op("Mul", [state[0], w.scalar(beta1)]), w.op("Mul", [g, w.scalar(1 - beta1)])]);
      const v = w.op("Add", [w.op("Mul", [state[1], w.scalar(beta2)]), w.op("Mul", [w.op("Mul", [g, g]), w.scalar(1 - beta2)])]);
      const denom = w.op("Add", [w.op("Div", [w.op("Sqrt", [v]), sqrtBc2]), w.scalar(epsilon)]);
      const next = w.op("Sub", [p, w.op("Mul", [w.op("Div", [m, denom]), stepSize])]);
      return { param: next, state: [m, v] };
    },
  };
}
