import { backboneErrorFamilies, ErrorDistribution, findErrorDistribution, type ErrorFamily } from "../../optimizer/index.ts";
import type { TuningSetup } from "./setupTuning.ts";

/** The error families a tuning configuration's calibration injects, and, with backbones, each backbone's own. */
export interface TuningErrorDistribution {
  /** One family per NN: fitted on its approximators' levels, or on every backbone's levels pooled. */
  calibration: ErrorDistribution;
  /** Per NN with backbones, one family per backbone (`<nn>/<backbone>`); undefined without backbones. */
  byBackbone?: ErrorDistribution;
}

/**
 * Measures the error families of a tuning setup on its dataset: each NN's
 * approximators' levels (`findErrorDistribution`), or for an NN with several
 * backbones, every backbone's original and levels — fitted per backbone and
 * pooled, the pooled family being what calibration injects (the budget is
 * per network, whatever architecture meets it).
 */
export async function tuningErrorDistribution(setup: TuningSetup): Promise<TuningErrorDistribution> {
  const { dataset } = setup;
  // Lane networks may predict below the input size, so name their mask shape rather than let it be guessed from the input.
  const masks =
    dataset.targetKind === "mask"
      ? Object.fromEntries(setup.nns.map((nn) => [nn.name, [dataset.targetShape[1], dataset.targetShape[2]] as [number, number]]))
      : undefined;
  const multi = await backboneErrorFamilies(setup.nns, setup.backbones, setup.metrics, dataset, {
    masks,
    regressionModels: setup.errorModels,
    sequences: setup.errorSequences,
    groups: setup.worldGroups,
  });
  // Each NN has its own approximators (their retraining uses its label column): one error family per NN, merged.
  const families: Record<string, ErrorFamily> = {};
  for (const nn of setup.nns) {
    if (setup.backbones[nn.name]) {
      families[nn.name] = multi.pooled[nn.name];
      continue;
    }
    const metrics = setup.metrics.filter((m) => m.model === nn);
    const dist = await findErrorDistribution(setup.approximators[nn.name], [nn], dataset, {
      metrics,
      masks,
      regressionModel: setup.errorModels[nn.name],
      sequences: setup.errorSequences,
      groups: setup.worldGroups,
    });
    families[nn.name] = dist.family(nn.name);
  }
  return {
    calibration: new ErrorDistribution(families),
    ...(Object.keys(multi.byBackbone).length > 0 ? { byBackbone: new ErrorDistribution(multi.byBackbone) } : {}),
  };
}
