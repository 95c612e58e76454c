import type { GradientRule } from "./GradientRule.ts";

/** y = a·b (numpy broadcasting): da = dy·b, db = dy·a, each summed over its broadcast axes. */
export const Mul: GradientRule = {
  op: "Mul",
  // With both operands at the output's full shape, dy·b and dy·a are full-shape even if dy only broadcasts.
  acceptsBroadcastGrad(ctx) {
    const y = ctx.tryShape(ctx.node.outputs[0]);
    const same = (v: string) => {
      const s = ctx.tryShape(v);
      return s !== undefined && y !== undefined && s.length === y.length && s.every((d, i) => d !== null && d === y[i]);
    };
    return same(ctx.node.inputs[0]) && same(ctx.node.inputs[1]);
  },
  grad(ctx) {
    const dy = ctx.outputGrad(0)!;
    const y = ctx.node.outputs[0];
    const [a, b] = ctx.node.inputs;
    if (a === b) {
      // y = a²: both slots get dy·a; the accumulating Sum adds them in the same pass as other contributions.
      const g = ctx.sumToShape(ctx.op("Mul", [dy, a]), y, a);
      return [g, g];
    }
    return [
      ctx.needsGrad(0) ? ctx.sumToShape(ctx.op("Mul", [dy, b]), y, a) : null,
      ctx.needsGrad(1) ? ctx.sumToShape(ctx.op("Mul", [dy, a]), y, b) : null,
    ];
  },
};
