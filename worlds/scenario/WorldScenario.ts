import { existsSync } from "node:fs";
import { InputError, Random, readJsonFile } from "../../common/index.ts";
import { parseWorldPreset, type WorldPreset } from "../WorldPreset.ts";
import { PRESET_DIR, listWorldPresets } from "../shippedPresets.ts";
import { drawTemplate, templateHasDraws } from "./drawTemplate.ts";
import { randomCropFieldPreset, randomTrackPreset } from "./randomWorldPresets.ts";

/**
 * A distribution of worlds: what a QoS run meets is one draw per seed.
 *
 * A fixed preset is a distribution of one (every seed gets the same preset;
 * the seed still varies the scenery the generator scatters). A preset file
 * with draws (see `PresetTemplate`) gives ranges instead of values. The
 * named distributions `random-cropfield` and `random-track` are the dataset
 * generator's (see `randomCropFieldPreset`, `randomTrackPreset`), drawn from a
 * stream of their own, so a scenario world is never a dataset world.
 */
export interface WorldScenario {
  /** The preset name or file it came from. */
  readonly source: string;
  /** World kind every draw has. */
  readonly kind: WorldPreset["kind"];
  /** True for a distribution of one. */
  readonly fixed: boolean;
  /** What identifies the distribution's content, for cache keys: the preset (fixed), the template, or the name and version. */
  readonly key: unknown;
  /**
   * The preset of seed `seed`: the same seed always gives the same preset, bit for bit.
   * @throws InputError naming the source, the seed and the field when a draw violates the schema.
   */
  draw(seed: number): WorldPreset;
}

/** Version of the named distributions: bump when their draws change, so cached QoS results are not reused. */
const NAMED_VERSION = 1;

const NAMED: Record<string, { kind: WorldPreset["kind"]; draw: (rng: Random) => WorldPreset }> = {
  "random-cropfield": { kind: "cropfield", draw: randomCropFieldPreset },
  "random-track": { kind: "track", draw: randomTrackPreset },
};

/** The random stream of a scenario seed; forked apart from the world generator's own use of the seed. */
function scenarioRandom(seed: number): Random {
  return new Random(seed).fork("scenario");
}

function readJson(nameOrPath: string): { raw: unknown; source: string } {
  const shipped = `${PRESET_DIR}${nameOrPath}.json`;
  const isShipped = !nameOrPath.includes("/") && !nameOrPath.endsWith(".json") && existsSync(shipped);
  const file = isShipped ? shipped : nameOrPath;
  if (!existsSync(file))
    throw new InputError(nameOrPath, `no such world preset file; shipped presets: ${[...listWorldPresets(), ...Object.keys(NAMED)].join(", ")}`);
  return { raw: readJsonFile(file), source: isShipped ? `${nameOrPath}.json` : file };
}

/**
 * Loads a world distribution: a named one, a shipped preset, or a JSON file (fixed, or with draws).
 * A template is checked once at load: its low and high corners (every range at its bounds) must be
 * valid presets, so a range that leaves the schema is reported before any run.
 * @throws InputError naming the file, the field and the allowed range.
 */
export function loadWorldScenario(nameOrPath: string): WorldScenario {
  const named = NAMED[nameOrPath];
  if (named) {
    return {
      source: nameOrPath,
      kind: named.kind,
      fixed: false,
      key: { distribution: nameOrPath, version: NAMED_VERSION },
      draw: (seed) => named.draw(scenarioRandom(seed)),
    };
  }
  const { raw, source } = readJson(nameOrPath);
  if (!templateHasDraws(raw)) {
    const preset = parseWorldPreset(raw, source);
    return { source, kind: preset.kind, fixed: true, key: preset, draw: () => preset };
  }
  const low = parseWorldPreset(drawTemplate(raw, "low", source), `${source} (every range at its low end)`);
  parseWorldPreset(drawTemplate(raw, "high", source), `${source} (every range at its high end)`);
  return {
    source,
    kind: low.kind,
    fixed: false,
    key: { template: raw },
    draw: (seed) => parseWorldPreset(drawTemplate(raw, { rng: scenarioRandom(seed) }, source), `${source} (drawn for seed ${seed})`),
  };
}

/** Names of the built-in world distributions. */
export function listWorldDistributions(): string[] {
  return Object.keys(NAMED);
}
