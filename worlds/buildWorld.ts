import { Random } from "../common/index.ts";
import type { BuiltWorld } from "./BuiltWorld.ts";
import { buildCropField } from "./cropfield/buildCropField.ts";
import { buildTrack } from "./track/buildTrack.ts";
import type { WorldPreset } from "./WorldPreset.ts";

/**
 * Generates a world from a validated preset. All randomness (plant jitter,
 * gaps, weeds, lighting, textures, trees) comes from `seed`, so the same
 * preset and seed give the same world, obstacle for obstacle.
 */
export function buildWorld(preset: WorldPreset, seed: number): BuiltWorld {
  const rng = new Random(seed).fork("world");
  return preset.kind === "cropfield" ? buildCropField(preset, rng) : buildTrack(preset, rng);
}
