import { check } from "../../common/index.ts";

/**
 * Parameters of the lane-mask pixel error model, as measured or injected.
 *
 * The model: lane pixels move sideways (along their image row) by a Gaussian
 * shift N(shiftPx, shiftStdPx²), then each is dropped with probability
 * `dropRate`; each background pixel below the horizon turns into a spurious
 * lane pixel with probability `falsePositiveRate`. These are the fields and
 * the order of the pipelines' injected lane perception (`LaneMaskError`), at
 * the resolution of the measured masks. The measured shift spread is across
 * lane segments, which the injector applies per frame.
 */
export interface LaneMaskErrorParams {
  /** Share of lane pixels missing: 1 − (predicted pixels within the matching radius of a lane pixel) / (lane pixels), clamped to [0, 1]. */
  dropRate: number;
  /** Share of background pixels (below the horizon row, see {@link LaneMaskStatsOptions.fromRow}) predicted lane with no true lane pixel within the radius (0–1). */
  falsePositiveRate: number;
  /** Mean signed lateral offset of predicted lane segments from the nearest true lane segment in their row (px, + = right). */
  shiftPx: number;
  /** Standard deviation of that offset across segments, weighted by segment length (px). */
  shiftStdPx: number;
}

/** Options of {@link laneMaskErrorStats}. */
export interface LaneMaskStatsOptions {
  /** Score at or above which a predicted pixel is lane (0 for logits). @default 0.5 */
  threshold?: number;
  /** Matching radius along a row (px); farther pixels count as dropped / spurious. @default max(2, round(W / 16)) */
  maxShift?: number;
  /**
   * First image row where spurious pixels can appear (the horizon): the
   * false-positive rate is per background pixel from this row down, as the
   * injector applies it. @default 0 (the whole mask)
   */
  fromRow?: number;
}

/**
 * Measures {@link LaneMaskErrorParams} from N×H×W predicted scores against
 * N×H×W label masks (lane > 0.5). A predicted pixel with a lane pixel within
 * `maxShift` in its row counts as a (shifted) lane pixel, not a spurious one,
 * and the drop rate is the lane mass missing after such shifts — so the three
 * effects are not double counted.
 */
export function laneMaskErrorStats(
  predictions: Float32Array,
  labels: Float32Array,
  shape: readonly [number, number],
  options: LaneMaskStatsOptions = {},
): LaneMaskErrorParams {
  const [h, w] = shape;
  check(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0, "lane mask shape", () => `invalid [H, W] = [${h}, ${w}]`);
  check(predictions.length === labels.length && predictions.length > 0 && predictions.length % (h * w) === 0,
    "lane mask samples", () => `predictions (${predictions.length}) and labels (${labels.length}) must both be N×${h}×${w}`);
  const threshold = options.threshold ?? 0.5;
  const radius = options.maxShift ?? Math.max(2, Math.round(w / 16));
  const fromRow = options.fromRow ?? 0;
  check(Number.isInteger(fromRow) && fromRow >= 0 && fromRow < h, "laneMask.fromRow", () => `must be a row in [0, ${h}), got ${fromRow}`);
  const rows = predictions.length / w;
  // Nearest lane column at or left of / at or right of each column, per row (−1 = none).
  const labelLeft = new Int32Array(w);
  const labelRight = new Int32Array(w);
  // Runs as [start, end] column pairs; a row has at most ceil(w / 2) runs.
  const labelRuns = new Int32Array(w + 1);
  const predRuns = new Int32Array(w + 1);
  let lanePixels = 0;
  let background = 0;
  let kept = 0;
  let spurious = 0;
  let matched = 0;
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * w;
    nearest(labels, o, w, labelLeft, labelRight);
    const belowHorizon = r % h >= fromRow;
    for (let c = 0; c < w; c++) {
      const lane = labels[o + c] > 0.5;
      const predicted = predictions[o + c] >= threshold;
      if (lane) lanePixels++;
      else if (belowHorizon) background++;
      if (predicted) {
        if (distance(c, labelLeft[c], labelRight[c]) <= radius) kept++;
        else if (belowHorizon) spurious++;
      }
    }
    // Shift: centroid offset of each predicted run of lane pixels from the
    // nearest labelled run, weighted by run length (pixel-to-nearest-pixel
    // offsets would underestimate the shift of lanes wider than one pixel).
    const nLabel = runs(labels, o, w, 0.5, false, labelRuns);
    const nPred = runs(predictions, o, w, threshold, true, predRuns);
    for (let k = 0; k < nPred; k++) {
      const centre = (predRuns[2 * k] + predRuns[2 * k + 1]) / 2;
      let best = Infinity;
      for (let m = 0; m < nLabel; m++) {
        const offset = centre - (labelRuns[2 * m] + labelRuns[2 * m + 1]) / 2;
        if (Math.abs(offset) < Math.abs(best)) best = offset;
      }
      if (Math.abs(best) <= radius) {
        const weight = predRuns[2 * k + 1] - predRuns[2 * k] + 1;
        matched += weight;
        sum += weight * best;
        sumSq += weight * best * best;
      }
    }
  }
  const shift = matched > 0 ? sum / matched : 0;
  return {
    // Lane mass that survived the shift; predictions wider than the lanes clamp to no drop.
    dropRate: lanePixels > 0 ? Math.max(0, 1 - kept / lanePixels) : 0,
    falsePositiveRate: background > 0 ? spurious / background : 0,
    shiftPx: shift,
    shiftStdPx: matched > 0 ? Math.sqrt(Math.max(0, sumSq / matched - shift * shift)) : 0,
  };
}

/** Writes the [start, end] columns of each run of lane pixels in one row; returns the run count. */
function runs(values: Float32Array, offset: number, w: number, threshold: number, inclusive: boolean, out: Int32Array): number {
  let count = 0;
  let start = -1;
  for (let c = 0; c <= w; c++) {
    const v = c < w ? values[offset + c] : -Infinity;
    const on = c < w && (inclusive ? v >= threshold : v > threshold);
    if (on && start < 0) start = c;
    else if (!on && start >= 0) {
      out[2 * count] = start;
      out[2 * count + 1] = c - 1;
      count++;
      start = -1;
    }
  }
  return count;
}

function distance(c: number, left: number, right: number): number {
  const dl = left < 0 ? Infinity : c - left;
  const dr = right < 0 ? Infinity : right - c;
  return Math.min(dl, dr);
}

/** One-row scan for the nearest lane pixel (label > 0.5) at or left / at or right of each column. */
function nearest(labels: Float32Array, offset: number, w: number, left: Int32Array, right: Int32Array): void {
  let last = -1;
  for (let c = 0; c < w; c++) {
    if (labels[offset + c] > 0.5) last = c;
    left[c] = last;
  }
  last = -1;
  for (let c = w - 1; c >= 0; c--) {
    if (labels[offset + c] > 0.5) last = c;
    right[c] = last;
  }
}
