import { createHash } from "node:crypto";
import { stableStringify } from "../../common/index.ts";
import type { TensorDataset } from "../data/index.ts";
import { encodeModel } from "../onnx/serialize.ts";
import type { Model } from "../onnx/ir.ts";
import type { LevelRecipe } from "./LevelRecipe.ts";

function hashDataset(h: ReturnType<typeof createHash>, ds: TensorDataset): void {
  h.update(stableStringify({ inputShape: ds.inputShape, targetShape: ds.targetShape, size: ds.size, mean: ds.mean, std: ds.std }));
  h.update(new Uint8Array(ds.inputs.buffer, ds.inputs.byteOffset, ds.inputs.byteLength));
  h.update(new Uint8Array(ds.targets.buffer, ds.targets.byteOffset, ds.targets.byteLength));
}

/**
 * The level directory's key: SHA-256 (first 16 hex digits) over the model's
 * serialized bytes, the contents (pixels and targets) of the training and
 * validation (and test) data, and the recipe. Same inputs → same key → levels reused.
 */
export function levelKey(
  model: Model,
  data: { train: TensorDataset; validation: TensorDataset; test?: TensorDataset },
  recipe: LevelRecipe,
  primary: string,
): string {
  const h = createHash("sha256");
  h.update(encodeModel(model));
  hashDataset(h, data.train);
  hashDataset(h, data.validation);
  if (data.test) hashDataset(h, data.test);
  // The default importance named explicitly is the recipe that leaves it out, written before it existed.
  const { importance, ...rest } = recipe;
  h.update(stableStringify({ recipe: importance === "l1" ? rest : recipe, primary }));
  return h.digest("hex").slice(0, 16);
}
