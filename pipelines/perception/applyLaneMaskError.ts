import type { Random } from "../../common/index.ts";
import type { LaneMaskError } from "./PerceptionConfig.ts";

/** Bands the lane's rows are cut into for far-segment dropouts (see {@link LaneMaskError}). */
export const LANE_DROP_BANDS = 8;

/**
 * Applies the error model ({@link LaneMaskError}) to an exact mask, in place,
 * except the frame loss, which needs state across frames (see
 * `LaneLossChain`): widening, lateral shift, far-segment dropouts, dropped lane
 * pixels, false positives and blobs, the last four in rows
 * `firstRow..height−1` (rows above the horizon stay empty: a detector sees no
 * road there, and the exact mask has no lane pixels there). False positives
 * are placed by geometric skips, so the cost is proportional to their number,
 * not to the image size. A term whose parameter is 0 draws no random number,
 * so the pixel model alone gives the same masks as before the structured terms existed.
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
  if (err.dilatePx > 0) dilateRows(mask, width, height, Math.floor(err.dilatePx) + (rng.next() < err.dilatePx % 1 ? 1 : 0));
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
  if (err.farDropRate > 0) dropFarSegments(mask, width, height, err.farDropRate, rng);
  if (err.dropRate > 0) {
    // Lane pixels are a few percent of the image: skip empty 4-pixel words when the buffer allows it.
    const start = Math.max(0, firstRow) * width;
    const words =
      mask.byteOffset % 4 === 0 && start % 4 === 0
        ? new Uint32Array(mask.buffer, mask.byteOffset + start, (mask.length - start) >> 2)
        : undefined;
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
    for (let i = start - 1; ;) {
      let u = rng.next();
      while (u === 0) u = rng.next();
      i += 1 + Math.floor(Math.log(u) / logq);
      if (i >= end) break;
      mask[i] = 1;
    }
  }
  if (err.blobsPerFrame > 0) addBlobs(mask, width, height, firstRow, err.blobsPerFrame, err.blobRadiusPx, rng);
  return mask;
}

/** Widens every run of lane pixels by `k` pixels on each side, row by row. */
function dilateRows(mask: Uint8Array, width: number, height: number, k: number): void {
  if (k <= 0) return;
  for (let row = 0; row < width * height; row += width) {
    // Left to right, remembering the last lane pixel of the original row (`until` marks how far it reaches).
    let reach = -1;
    for (let c = 0; c < width; c++) {
      if (mask[row + c] === 1) reach = c + k;
      else if (c <= reach) mask[row + c] = 2;
    }
    reach = width;
    for (let c = width - 1; c >= 0; c--) {
      if (mask[row + c] === 1) reach = c - k;
      else if (c >= reach) mask[row + c] = 2;
    }
    for (let c = 0; c < width; c++) if (mask[row + c] === 2) mask[row + c] = 1;
  }
}

/**
 * Clears each (band, image half) cell with probability `rate · (1 − band / bands)`, band 0 the
 * farthest. The bands split the rows from the first one holding a lane pixel down to the bottom:
 * the lane's own extent, which the measurement (`laneMaskErrorStats`) reads off the true mask the
 * same way, whatever the camera's horizon.
 */
function dropFarSegments(mask: Uint8Array, width: number, height: number, rate: number, rng: Random): void {
  const first = mask.indexOf(1);
  if (first < 0) return;
  const top = Math.floor(first / width);
  const rows = height - top;
  const half = width >> 1;
  for (let b = 0; b < LANE_DROP_BANDS; b++) {
    const r0 = top + Math.floor((b * rows) / LANE_DROP_BANDS);
    const r1 = top + Math.floor(((b + 1) * rows) / LANE_DROP_BANDS);
    const p = rate * (1 - b / LANE_DROP_BANDS);
    for (let side = 0; side < 2; side++) {
      if (!(rng.next() < p)) continue;
      const c0 = side === 0 ? 0 : half;
      const c1 = side === 0 ? half : width;
      for (let r = r0; r < r1; r++) mask.fill(0, r * width + c0, r * width + c1);
    }
  }
}

/** Poisson(`mean`) filled discs of radius `radius` centred uniformly below the horizon. */
function addBlobs(mask: Uint8Array, width: number, height: number, firstRow: number, mean: number, radius: number, rng: Random): void {
  const top = Math.max(0, firstRow);
  if (top >= height) return;
  // Knuth's method: fine for the small means (≤ 50) the schema allows.
  const limit = Math.exp(-mean);
  let count = 0;
  for (let prod = rng.next(); prod > limit; prod *= rng.next()) count++;
  const r = Math.max(0, radius);
  const ri = Math.ceil(r);
  for (let i = 0; i < count; i++) {
    const cy = rng.uniform(top, height);
    const cx = rng.uniform(0, width);
    for (let y = Math.max(top, Math.floor(cy - ri)); y <= Math.min(height - 1, Math.ceil(cy + ri)); y++) {
      for (let x = Math.max(0, Math.floor(cx - ri)); x <= Math.min(width - 1, Math.ceil(cx + ri)); x++) {
        const dx = x + 0.5 - cx;
        const dy = y + 0.5 - cy;
        if (dx * dx + dy * dy <= Math.max(r * r, 0.25)) mask[y * width + x] = 1;
      }
    }
  }
}
