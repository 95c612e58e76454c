import { NameRegistry } from "../../../common/index.ts";
import type { TargetKind } from "../../data/TensorDataset.ts";
import { bceWithLogitsLoss } from "./bceWithLogitsLoss.ts";
import { l1Loss } from "./l1Loss.ts";
import type { Loss } from "./Loss.ts";
import { mseLoss } from "./mseLoss.ts";
import { smoothL1Loss } from "./smoothL1Loss.ts";
import { softmaxCrossEntropyLoss } from "./softmaxCrossEntropyLoss.ts";

/** Settings a named loss may take; each loss reads only its own. */
export interface LossSettings {
  /** `bce`: weight of the positive class. @default 1 */
  posWeight?: number;
}

/**
 * Every training loss by name — the names `train --loss`, `approx --loss` and
 * configs accept. The older spellings (`smoothl1`, `bce-logits`, and each
 * loss's `kind`) still resolve.
 */
export const lossRegistry = new NameRegistry<(settings: LossSettings) => Loss>("loss").register(
  { name: "l1", description: "mean absolute error", value: () => l1Loss() },
  { name: "mse", description: "mean squared error", value: () => mseLoss() },
  { name: "smooth-l1", description: "Huber-style smooth L1 (β = 1)", value: () => smoothL1Loss(), aliases: ["smoothl1"] },
  {
    name: "bce",
    description: "binary cross-entropy on logits (lane masks), with posWeight",
    value: (s) => bceWithLogitsLoss(s.posWeight),
    aliases: ["bce-logits", "bce-with-logits"],
  },
  {
    name: "ce",
    description: "softmax cross-entropy on class logits",
    value: () => softmaxCrossEntropyLoss(),
    aliases: ["softmax-cross-entropy"],
  },
);

/** The loss used when none is named: `l1` for label vectors, `bce` for masks. */
export const DEFAULT_LOSS: Readonly<Record<TargetKind, string>> = { vector: "l1", mask: "bce" };

/**
 * A loss by name or alias.
 * @throws InputError naming `where` and the known losses when the name is unknown.
 */
export function lossByName(name: string, settings: LossSettings = {}, where = "loss"): Loss {
  return lossRegistry.get(name, where)(settings);
}
