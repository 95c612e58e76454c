import type { GradientRule } from "./GradientRule.ts";

/**
 * Dropout in inference form (no `training_mode` input, or a constant false one) is the identity: dx = dy.
 * Training-mode dropout is rewritten by `toTrainingGraph` into a multiplication by a host-generated mask, so a
 * Dropout node that is still in training mode here is refused rather than differentiated wrongly.
 */
export const Dropout: GradientRule = {
  op: "Dropout",
  grad(ctx) {
    const trainingMode = ctx.node.inputs[2];
    if (trainingMode) {
      const t = ctx.constantValue(trainingMode);
      if (!t || Number(t.data[0]) !== 0) {
        ctx.fail("training-mode Dropout must be rewritten by toTrainingGraph (mask input) before differentiation");
      }
    }
    return [ctx.outputGrad(0)];
  },
};
