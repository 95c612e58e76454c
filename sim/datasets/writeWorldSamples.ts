import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import type { DatasetKind } from "./DatasetKind.ts";
import { renderWorldSamples } from "./renderWorldSamples.ts";

/** One world's share of a dataset split: what a generator worker renders and writes. */
export interface WorldTask {
  kind: DatasetKind;
  worldSeed: number;
  /** Samples rendered in this world. */
  count: number;
  width: number;
  height: number;
  /** The split's folder; images go to `images/`, masks to `masks/`, named `w<worldSeed>-<index>.png`. */
  splitDir: string;
}

/** A `labels.json` item (see `optimizer/data/LabelsFile.ts`). */
export interface LabelItem {
  file: string;
  label?: number[];
  mask?: string;
  /** World seed of the sample (provenance; not a labels.json field, dropped when the file is written). */
  world: number;
}

/** The file name of sample `index` rendered in world `worldSeed`. */
export function sampleFileName(worldSeed: number, index: number): string {
  return `w${worldSeed}-${String(index).padStart(4, "0")}.png`;
}

/**
 * The world seed a dataset sample was rendered in, read from its file's name (see {@link sampleFileName}):
 * labels.json keeps no world, and a metric measured per world needs it. Undefined for a file not named so.
 */
export function sampleWorldSeed(file: string): number | undefined {
  const m = /(?:^|\/)w(\d+)-\d+\.png$/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/**
 * Renders one world's samples and writes them as PNGs (frames in
 * `images/`, 0/255 grey masks in `masks/`), returning their label items in
 * sample order.
 */
export async function writeWorldSamples(task: WorldTask): Promise<LabelItem[]> {
  const { kind, width, height, splitDir } = task;
  await mkdir(join(splitDir, "images"), { recursive: true });
  if (kind === "gem") await mkdir(join(splitDir, "masks"), { recursive: true });
  const items: LabelItem[] = [];
  const grey = new Uint8Array(width * height);
  await renderWorldSamples(kind, task.worldSeed, task.count, width, height, async (s, i) => {
    const name = sampleFileName(task.worldSeed, i);
    const file = `images/${name}`;
    await sharp(Buffer.from(s.rgb), { raw: { width, height, channels: 3 } })
      .png()
      .toFile(join(splitDir, file));
    if (s.mask) {
      for (let p = 0; p < grey.length; p++) grey[p] = s.mask[p] ? 255 : 0;
      const mask = `masks/${name}`;
      await sharp(Buffer.from(grey), { raw: { width, height, channels: 1 } })
        .png()
        .toFile(join(splitDir, mask));
      items.push({ file, mask, world: task.worldSeed });
    } else {
      items.push({ file, label: [s.label![0], s.label![1]], world: task.worldSeed });
    }
  });
  return items;
}
