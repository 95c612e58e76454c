import type { Random } from "../../common/index.ts";
import type { LaneMaskError } from "./PerceptionConfig.ts";

/**
 * Applies the pixel error model ({@link LaneMaskError}) to an exact mask, in place:
 * lateral shift, then dropped lane pixels, then false positives, both in rows
 * `firstRow..height−1` (rows above the horizon stay empty: a detector sees no
 * road there, and the exact mask has no lane pixels there). False positives are placed by geometric skips, so the cost is
 * proportional to their number, not to the image size.
 *
 * Returns `mask`.
 */
export function applyLaneMaskError(
  mask: Uint8Array,
  width: number,
  height: number,
  firstRow: number,
  err: LaneMaskError,
  rng: Random,
): Uint8Array {
  const shift = Math.round(err.shiftPx + (err.shiftStdPx > 0 ? rng.normal(0, err.shiftStdPx) : 0));
  if (shift >= width || shift <= -width) {
    mask.fill(0);
  } else if (shift > 0) {
    for (let row = 0; row < width * height; row += width) {
      mask.copyWithin(row + shift, row, row + width - shift);
      mask.fill(0, row, row + shift);
    }
  } else if (shift < 0) {
    for (let row = 0; row < width * height; row += width) {
      mask.copyWithin(row, row - shift, row + width);
      mask.fill(0, row + width + shift, row + width);
    }
  }
  if (err.dropRate > 0) {
    // Lane pixels are a few percent of the image: skip empty 4-pixel words when the buffer allows it.
    const start = Math.max(0, firstRow) * width;
    const words = mask.byteOffset % 4 === 0 && start % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset + start, (mask.length - start) >> 2) : undefined;
    let i = start;
    if (words) {
      for (let w = 0; w < words.length; w++) {
        if (words[w] === 0) continue;
        for (let j = start + 4 * w, e = j + 4; j < e; j++) if (mask[j] !== 0 && rng.next() < err.dropRate) mask[j] = 0;
      }
      i = start + 4 * words.length;
    }
    for (; i < mask.length; i++) if (mask[i] !== 0 && rng.next() < err.dropRate) mask[i] = 0;
  }
  const p = err.falsePositiveRate;
  if (p > 0) {
    const start = Math.max(0, firstRow) * width;
    const end = width * height;
    const logq = Math.log1p(-p);
    // Bernoulli(p) on every background pixel = jumps of Geometric(p) length across all pixels
    // (lane pixels landed on stay lane pixels).
    for (let i = start - 1; ; ) {
      let u = rng.next();
      while (u === 0) u = rng.next();
      i += 1 + Math.floor(Math.log(u) / logq);
      if (i >= end) break;
      mask[i] = 1;
    }
  }
  return mask;
}
