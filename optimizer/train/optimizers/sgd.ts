import { check } from "../../../common/index.ts";
import type { Optimizer } from "./Optimizer.ts";

/** Options of {@link sgd}; defaults as PyTorch `torch.optim.SGD`. */
export interface SgdOptions {
  /** Momentum factor μ. @default 0 */
  momentum?: number;
  /** L2 penalty added to the gradient. @default 0 */
  weightDecay?: number;
  /** Nesterov momentum. @default false */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent as PyTorch's (dampening 0):
 * `g ← g + λ·p; b ← μ·b + g; p ← p − lr·(nesterov ? g + μ·b : b)`.
 * Without momentum there is no state.
 */
export function sgd(opts: SgdOptions = {}): Optimizer {
  const momentum = opts.momentum ?? 0;
  const weightDecay = opts.weightDecay ?? 0;
  const nesterov = opts.nesterov ?? false;
  check(momentum >= 0 && momentum < 1, "sgd.momentum", () => `must be in [0, 1), got ${momentum}`);
  check(weightDecay >= 0, "sgd.weightDecay", () => `must be ≥ 0, got ${weightDecay}`);
  check(!nesterov || momentum > 0, "sgd.nesterov", () => "needs momentum > 0");
  return {
    kind: "sgd",
    stateSlots: momentum > 0 ? ["momentum"] : [],
    config: { momentum, weightDecay, nesterov },
    append(w, { param, grad, state }, lr) {
      let g = grad;
      if (weightDecay > 0) g = w.op("Add", [g, w.op("Mul", [param, w.scalar(weightDecay)])]);
      const newState: string[] = [];
      if (momentum > 0) {
        const buf = w.op("Add", [w.op("Mul", [state[0], w.scalar(momentum)]), g]);
        newState.push(buf);
        g = nesterov ? w.op("Add", [g, w.op("Mul", [buf, w.scalar(momentum)])]) : buf;
      }
      return { param: w.op("Sub", [param, w.op("Mul", [g, lr])]), state: newState };
    },
  };
}
