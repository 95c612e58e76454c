import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { InputError } from "../../common/index.ts";
import { DATASET_KINDS, generateDataset, type DatasetKind } from "../../sim/index.ts";

interface DatasetCliOptions {
  out: string;
  worlds: string;
  perWorld: string;
  seed: string;
  width?: string;
  height?: string;
  workers?: string;
}

/** Default frame (= model input) sizes: small enough that the shipped CNNs run in a few ms on one core. */
export const DEFAULT_DATASET_SIZE: Record<DatasetKind, { width: number; height: number }> = {
  cropfollow: { width: 64, height: 48 },
  gem: { width: 128, height: 64 },
  lanepose: { width: 128, height: 64 },
};

function int(name: string, raw: string | undefined, lo: number, hi: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(v) || v < lo || v > hi) throw new InputError(`--${name}`, `expected an integer in [${lo}, ${hi}], got "${raw}"`);
  return v;
}

/** `approxcaliper dataset <cropfollow|gem|lanepose>`: render a perception dataset in the simulator. */
export function register(program: Command): void {
  program
    .command("dataset")
    .description("render a perception dataset in randomized simulator worlds: train/val/test splits (by world) of PNGs + labels.json, and dataset.json")
    .argument("<kind>", "cropfollow (frames labelled heading φ, distance ratio d) | gem (frames + binary lane masks) | lanepose (GEM frames labelled cross-track offset, heading error 8 m ahead)")
    .requiredOption("--out <dir>", "output directory")
    .option("--worlds <n>", "number of randomized worlds (split 80/10/10 into train/val/test)", "40")
    .option("--per-world <k>", "frames per world", "100")
    .option("--seed <s>", "dataset seed", "1")
    .option("--width <px>", "frame width (default 64 for cropfollow, 128 for gem and lanepose)")
    .option("--height <px>", "frame height (default 48 for cropfollow, 64 for gem and lanepose)")
    .option("--workers <n>", "worker threads (default: CPU count; 0 renders in-process)")
    .action(async (kind: string, o: DatasetCliOptions) => {
      if (!(DATASET_KINDS as readonly string[]).includes(kind)) throw new InputError("kind", `expected ${DATASET_KINDS.join(" or ")}, got "${kind}"`);
      const k = kind as DatasetKind;
      const worlds = int("worlds", o.worlds, 3, 99_999)!;
      const bar = new SingleBar({ format: `${k} {bar} {value}/{total} worlds | {eta_formatted} left` }, Presets.shades_classic);
      bar.start(worlds, 0);
      const t0 = performance.now();
      try {
        const m = await generateDataset({
          kind: k,
          out: o.out,
          worlds,
          perWorld: int("per-world", o.perWorld, 1, 100_000)!,
          seed: int("seed", o.seed, 0, 1e9)!,
          width: int("width", o.width, 8, 1024) ?? DEFAULT_DATASET_SIZE[k].width,
          height: int("height", o.height, 8, 1024) ?? DEFAULT_DATASET_SIZE[k].height,
          workers: int("workers", o.workers, 0, 64),
          onProgress: (done) => bar.update(done),
        });
        bar.stop();
        const s = m.splits;
        console.log(
          `${o.out}: train ${s.train.count} (${s.train.worldSeeds.length} worlds), val ${s.val.count} (${s.val.worldSeeds.length}), ` +
            `test ${s.test.count} (${s.test.worldSeeds.length}); ${m.width}×${m.height}; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      } finally {
        bar.stop();
      }
    });
}
