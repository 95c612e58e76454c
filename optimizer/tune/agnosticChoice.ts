import { InputError } from "../../common/index.ts";
import type { CalibrationAxis } from "../calibrate/CalibrationAxis.ts";
import type { Candidate } from "./Candidate.ts";

/** How the application-agnostic baseline is chosen (see {@link agnosticChoice}). */
export interface AgnosticOptions {
  /**
   * The backbone whose unpruned model sets the accuracy bar, for every NN
   * with backbones (the paper: the unpruned DarkNet); an NN with a single
   * model is its own reference. @default each NN's first candidate (the original of its first backbone)
   */
  reference?: string;
  /**
   * Relative slack: a candidate qualifies when its metric is no worse than
   * the reference's by more than `tolerance × |reference|` (0.01 = 1 %).
   * @default 0 (no worse at all, as in the paper)
   */
  tolerance?: number;
}

/**
 * The application-agnostic choice as the ApproxCaliper paper defines it:
 * for each NN, the fastest candidate across **all** its backbones and
 * approximation levels whose validation metric (every calibration axis the
 * NN measures) is no worse than that of one unpruned reference model (plus
 * `tolerance`). "Fastest" is the lowest measured latency; ties (equal
 * latency) go to the better metric on the NN's first axis, then to the
 * smaller encoded size, then to the earlier candidate in the list (backbones
 * in configuration order, levels ascending). The reference itself always
 * qualifies, so there is always a choice.
 *
 * @param candidatesByNn per NN, every candidate of every backbone (index 0: the original of the first backbone).
 * @throws InputError naming `agnostic.reference` when an NN has no original of that backbone.
 */
export function agnosticChoice(
  candidatesByNn: readonly (readonly Candidate[])[],
  axes: readonly CalibrationAxis[],
  options: AgnosticOptions = {},
): Candidate[] {
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) throw new InputError("agnostic.tolerance", `expected a number ≥ 0, got ${tolerance}`);
  return candidatesByNn.map((list) => {
    const reference = referenceOf(list, options.reference);
    const own = axes.filter((a) => a.name in reference.metrics);
    let best = reference;
    for (const c of list) {
      if (noWorse(c, reference, own, tolerance) && better(c, best, own[0])) best = c;
    }
    return best;
  });
}

/**
 * The unpruned model of `backbone` among one NN's candidates: its first
 * candidate when no backbone is named or the NN has a single model (no backbones).
 */
export function referenceOf(list: readonly Candidate[], backbone: string | undefined): Candidate {
  if (backbone === undefined || list.every((c) => c.backbone === undefined)) return list[0];
  const found = list.find((c) => c.level === 0 && c.backbone === backbone);
  if (found) return found;
  const names = [...new Set(list.map((c) => c.backbone).filter((b) => b !== undefined))];
  throw new InputError("agnostic.reference", `NN ${list[0]?.nn} has no unpruned "${backbone}" model (backbones: ${names.join(", ")})`);
}

function noWorse(c: Candidate, reference: Candidate, axes: readonly CalibrationAxis[], tolerance: number): boolean {
  for (const axis of axes) {
    const ref = reference.metrics[axis.name];
    const value = c.metrics[axis.name];
    if (value === undefined) return false;
    const slack = Math.abs(ref) * tolerance;
    if (axis.direction === "lower-better" ? value > ref + slack : value < ref - slack) return false;
  }
  return true;
}

/** Strictly preferred over `best` by the documented order: latency, metric on `axis`, size. */
function better(c: Candidate, best: Candidate, axis: CalibrationAxis | undefined): boolean {
  if (c.latencyMs !== best.latencyMs) return c.latencyMs < best.latencyMs;
  if (axis) {
    const a = c.metrics[axis.name];
    const b = best.metrics[axis.name];
    if (a !== b) return axis.direction === "lower-better" ? a < b : a > b;
  }
  return c.sizeBytes < best.sizeBytes;
}
