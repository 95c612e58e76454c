import type { Command } from "commander";
import { DATASET_KIND_SPECS, DATASET_KINDS, generateDataset, type DatasetKind } from "../../sim/index.ts";
import { choiceArgument, fractionArg, intArg, option } from "../options/index.ts";
import { stepProgress } from "../progress/stepProgress.ts";

interface DatasetCliOptions {
  out: string;
  worlds: number;
  perWorld: number;
  seed: number;
  width?: number;
  height?: number;
  workers?: number;
  valFraction: number;
  testFraction: number;
}

function sizeText(side: "width" | "height"): string {
  return DATASET_KINDS.map((k) => `${DATASET_KIND_SPECS[k].defaultSize[side]} for ${k}`).join(", ");
}

/** `approxcaliper dataset <cropfollow|gem|lanepose>`: render a perception dataset in the simulator. */
export function register(program: Command): void {
  program
    .command("dataset")
    .description(
      "render a perception dataset in randomized simulator worlds: train/val/test splits (by world) of PNGs + labels.json, and dataset.json",
    )
    .addArgument(choiceArgument("<kind>", DATASET_KINDS.map((k) => `${k} (${DATASET_KIND_SPECS[k].description})`).join(" | "), DATASET_KINDS))
    .requiredOption("--out <dir>", "output directory")
    .addOption(option("--worlds <n>", "number of randomized worlds (split into train/val/test by the fractions below)", intArg(3, 99_999), 40))
    .addOption(option("--per-world <k>", "frames per world", intArg(1, 100_000), 100))
    .addOption(option("--seed <s>", "dataset seed (the shipped models were trained on seed 1)", intArg(0, 1e9), 1))
    .addOption(option("--width <px>", "frame width", intArg(8, 1024), undefined, sizeText("width")))
    .addOption(option("--height <px>", "frame height", intArg(8, 1024), undefined, sizeText("height")))
    .addOption(option("--workers <n>", "worker threads (0 renders in-process)", intArg(0, 64), undefined, "CPU count"))
    .addOption(
      option(
        "--val-fraction <f>",
        "fraction of the worlds for validation (at least one); a calibration split of many worlds takes most of them",
        fractionArg({ open: true }),
        0.1,
      ),
    )
    .addOption(
      option("--test-fraction <f>", "fraction of the worlds for test (at least one); train gets the rest", fractionArg({ open: true }), 0.1),
    )
    .action(async (k: DatasetKind, o: DatasetCliOptions) => {
      const worlds = o.worlds;
      const progress = stepProgress(`dataset ${k}`, worlds, { unit: "worlds", lineEverySeconds: 10 });
      progress.update(0);
      const t0 = performance.now();
      try {
        const m = await generateDataset({
          kind: k,
          out: o.out,
          worlds,
          perWorld: o.perWorld,
          seed: o.seed,
          width: o.width ?? DATASET_KIND_SPECS[k].defaultSize.width,
          height: o.height ?? DATASET_KIND_SPECS[k].defaultSize.height,
          workers: o.workers,
          valFraction: o.valFraction,
          testFraction: o.testFraction,
          onProgress: (done) => progress.update(done),
        });
        progress.stop();
        const s = m.splits;
        console.log(
          `${o.out}: train ${s.train.count} (${s.train.worldSeeds.length} worlds), val ${s.val.count} (${s.val.worldSeeds.length}), ` +
            `test ${s.test.count} (${s.test.worldSeeds.length}); ${m.width}×${m.height}; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
      } finally {
        progress.stop();
      }
    });
}
