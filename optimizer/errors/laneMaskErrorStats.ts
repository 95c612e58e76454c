import { check } from "../../common/index.ts";

/**
 * Parameters of the lane-mask error model, as measured or injected.
 *
 * The pixel model: lane pixels move sideways (along their image row) by a
 * Gaussian shift N(shiftPx, shiftStdPx²), then each is dropped with
 * probability `dropRate`; each background pixel below the horizon turns into
 * a spurious lane pixel with probability `falsePositiveRate`. The structured
 * terms describe how degraded networks really fail (optional: absent means
 * 0): whole frames lost, far line segments lost, lines thickened, spurious
 * blobs. These are the fields and the order of the pipelines' injected lane
 * perception (`LaneMaskError`), at the resolution of the measured masks. The
 * measured shift spread is across lane segments, which the injector applies
 * per frame.
 */
export interface LaneMaskErrorParams {
  /**
   * Share of lane pixels missing in frames and segments not lost: 1 − (predicted pixels within the matching
   * radius of a lane pixel in their row) / (lane pixels, widened by `dilatePx`), clamped to [0, 1].
   */
  dropRate: number;
  /** Share of background pixels (below the horizon row, see {@link LaneMaskStatsOptions.fromRow}) predicted lane with no true lane pixel within the radius, outside blobs (0–1). */
  falsePositiveRate: number;
  /** Mean signed lateral offset of predicted lane segments from the nearest true lane segment in their row (px, + = right). */
  shiftPx: number;
  /** Standard deviation of that offset across segments, weighted by segment length (px). */
  shiftStdPx: number;
  /** Share of frames (with lane pixels) whose prediction finds less than {@link LOST_FRAME_RECALL} of them. */
  lossRate?: number;
  /**
   * Probability of losing the line segment of a (band, image half) cell in the farthest of
   * `LANE_DROP_BANDS` ground bands, falling linearly to 0 at the bottom: the least-squares slope of the
   * cells' loss frequency against their distance.
   */
  farDropRate?: number;
  /** Half the mean excess width of predicted lane runs over the true runs they match (px, ≥ 0). */
  dilatePx?: number;
  /** Spurious connected regions of at least {@link BLOB_MIN_PIXELS} pixels per frame. */
  blobsPerFrame?: number;
  /** Radius of a disc of the blobs' mean area (px). */
  blobRadiusPx?: number;
}

/** The structured terms of {@link LaneMaskErrorParams}, fitted and injected like the pixel ones. */
export const LANE_STRUCTURE_TERMS = ["lossRate", "farDropRate", "dilatePx", "blobsPerFrame", "blobRadiusPx"] as const;
/** The pixel terms of {@link LaneMaskErrorParams}. */
export const LANE_PIXEL_TERMS = ["dropRate", "falsePositiveRate", "shiftPx", "shiftStdPx"] as const;

/** A frame whose prediction recovers less than this share of its lane pixels counts as lost. */
export const LOST_FRAME_RECALL = 0.1;
/** A (band, half) cell whose prediction recovers less than this share of its lane pixels counts as a lost segment. */
export const LOST_SEGMENT_RECALL = 0.25;
/** Spurious regions smaller than this are speckle (counted in `falsePositiveRate`), larger ones blobs. */
export const BLOB_MIN_PIXELS = 4;
/** Ground bands of the far-segment model; the pipelines' `LANE_DROP_BANDS` must match. */
const BANDS = 8;

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
 * N×H×W label masks (lane > 0.5), term by term in the order the injector
 * applies them, so no effect is counted twice: lost frames first; in the
 * other frames, lost segments per (band, half) cell; in the other cells, the
 * missing lane pixels. A predicted pixel with a lane pixel within `maxShift`
 * in its row counts as a (shifted or widened) lane pixel, not a spurious one.
 */
export function laneMaskErrorStats(
  predictions: Float32Array,
  labels: Float32Array,
  shape: readonly [number, number],
  options: LaneMaskStatsOptions = {},
): Required<LaneMaskErrorParams> {
  const [h, w] = shape;
  check(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0, "lane mask shape", () => `invalid [H, W] = [${h}, ${w}]`);
  check(
    predictions.length === labels.length && predictions.length > 0 && predictions.length % (h * w) === 0,
    "lane mask samples",
    () => `predictions (${predictions.length}) and labels (${labels.length}) must both be N×${h}×${w}`,
  );
  const threshold = options.threshold ?? 0.5;
  const radius = options.maxShift ?? Math.max(2, Math.round(w / 16));
  const fromRow = options.fromRow ?? 0;
  check(Number.isInteger(fromRow) && fromRow >= 0 && fromRow < h, "laneMask.fromRow", () => `must be a row in [0, ${h}), got ${fromRow}`);
  const frames = predictions.length / (h * w);
  const half = w >> 1;
  // Bands split the rows from the frame's first true lane row to the bottom, as the injector does.
  let top = 0;
  const bandOf = (r: number) => (r < top ? -1 : Math.min(BANDS - 1, Math.floor(((r - top) * BANDS) / (h - top))));
  // Nearest lane column at or left of / at or right of each column, per row (−1 = none).
  const labelLeft = new Int32Array(w);
  const labelRight = new Int32Array(w);
  const predLeft = new Int32Array(w);
  const predRight = new Int32Array(w);
  // Runs as [start, end] column pairs; a row has at most ceil(w / 2) runs.
  const labelRuns = new Int32Array(w + 1);
  const predRuns = new Int32Array(w + 1);
  const cellLane = new Int32Array(BANDS * 2);
  const cellHit = new Int32Array(BANDS * 2);
  const cellKept = new Int32Array(BANDS * 2);
  const bandCells = new Float64Array(BANDS);
  const bandLost = new Float64Array(BANDS);
  const spuriousMask = new Uint8Array(h * w);
  const stack = new Int32Array(h * w);
  let framesWithLane = 0;
  let lostFrames = 0;
  let keptFrames = 0;
  let lanePixels = 0;
  let keptPixels = 0;
  let background = 0;
  let speckle = 0;
  let blobs = 0;
  let blobArea = 0;
  let matched = 0;
  let sum = 0;
  let sumSq = 0;
  let widthExcess = 0;
  let labelWidth = 0;
  for (let f = 0; f < frames; f++) {
    const base = f * h * w;
    // Lost frame?
    let lane = 0;
    let hit = 0;
    cellLane.fill(0);
    cellHit.fill(0);
    cellKept.fill(0);
    top = h;
    for (let i = 0; i < h * w; i++) {
      if (labels[base + i] > 0.5) {
        top = Math.floor(i / w);
        break;
      }
    }
    for (let r = 0; r < h; r++) {
      const o = base + r * w;
      nearestAbove(predictions, o, w, threshold, predLeft, predRight);
      nearest(labels, o, w, labelLeft, labelRight);
      const band = bandOf(r);
      for (let c = 0; c < w; c++) {
        if (band >= 0 && predictions[o + c] >= threshold && distance(c, labelLeft[c], labelRight[c]) <= radius)
          cellKept[band * 2 + (c < half ? 0 : 1)]++;
        if (!(labels[o + c] > 0.5)) continue;
        lane++;
        const found = distance(c, predLeft[c], predRight[c]) <= radius;
        if (found) hit++;
        if (band >= 0) {
          const cell = band * 2 + (c < half ? 0 : 1);
          cellLane[cell]++;
          if (found) cellHit[cell]++;
        }
      }
    }
    if (lane > 0) {
      framesWithLane++;
      if (hit < LOST_FRAME_RECALL * lane) {
        lostFrames++;
        continue;
      }
    }
    keptFrames++;
    // Lost segments, then the pixels missing from the segments kept.
    for (let cell = 0; cell < 2 * BANDS; cell++) {
      if (cellLane[cell] < 2) continue;
      const band = cell >> 1;
      bandCells[band]++;
      if (cellHit[cell] < LOST_SEGMENT_RECALL * cellLane[cell]) bandLost[band]++;
      else {
        lanePixels += cellLane[cell];
        keptPixels += cellKept[cell];
      }
    }
    spuriousMask.fill(0);
    for (let r = 0; r < h; r++) {
      const o = base + r * w;
      nearest(labels, o, w, labelLeft, labelRight);
      const belowHorizon = r >= fromRow;
      for (let c = 0; c < w; c++) {
        const isLane = labels[o + c] > 0.5;
        if (!isLane && belowHorizon) background++;
        if (predictions[o + c] >= threshold && belowHorizon && distance(c, labelLeft[c], labelRight[c]) > radius) spuriousMask[r * w + c] = 1;
      }
      // Shift and widening: each predicted run against the nearest labelled run, weighted by run length
      // (pixel-to-nearest-pixel offsets would underestimate the shift of lanes wider than one pixel).
      const nLabel = runs(labels, o, w, 0.5, false, labelRuns);
      const nPred = runs(predictions, o, w, threshold, true, predRuns);
      for (let k = 0; k < nPred; k++) {
        const centre = (predRuns[2 * k] + predRuns[2 * k + 1]) / 2;
        let best = Infinity;
        let bestWidth = 0;
        for (let m = 0; m < nLabel; m++) {
          const offset = centre - (labelRuns[2 * m] + labelRuns[2 * m + 1]) / 2;
          if (Math.abs(offset) < Math.abs(best)) {
            best = offset;
            bestWidth = labelRuns[2 * m + 1] - labelRuns[2 * m] + 1;
          }
        }
        if (Math.abs(best) <= radius) {
          const weight = predRuns[2 * k + 1] - predRuns[2 * k] + 1;
          matched += weight;
          sum += weight * best;
          sumSq += weight * best * best;
          widthExcess += weight * (weight - bestWidth);
          labelWidth += weight * bestWidth;
        }
      }
    }
    // Spurious pixels: small connected regions are speckle, larger ones blobs.
    for (let i = 0; i < h * w; i++) {
      if (spuriousMask[i] !== 1) continue;
      let size = 0;
      let top = 0;
      stack[top++] = i;
      spuriousMask[i] = 2;
      while (top > 0) {
        const j = stack[--top];
        size++;
        const r = (j / w) | 0;
        const c = j - r * w;
        for (const k of [c > 0 ? j - 1 : -1, c < w - 1 ? j + 1 : -1, r > 0 ? j - w : -1, r < h - 1 ? j + w : -1]) {
          if (k >= 0 && spuriousMask[k] === 1) {
            spuriousMask[k] = 2;
            stack[top++] = k;
          }
        }
      }
      if (size >= BLOB_MIN_PIXELS) {
        blobs++;
        blobArea += size;
      } else speckle += size;
    }
  }
  // Far-segment model: P(lost) = rate · t with t = 1 − band / BANDS, least squares weighted by the cells seen.
  let num = 0;
  let den = 0;
  for (let b = 0; b < BANDS; b++) {
    const t = 1 - b / BANDS;
    num += bandLost[b] * t;
    den += bandCells[b] * t * t;
  }
  const shift = matched > 0 ? sum / matched : 0;
  const dilate = matched > 0 ? Math.max(0, widthExcess / matched / 2) : 0;
  // Predicted lane pixels near the lanes, against the lane pixels widened as measured: missing mass is dropped pixels.
  const widening = matched > 0 && labelWidth > 0 ? 1 + (2 * dilate) / (labelWidth / matched) : 1;
  return {
    dropRate: lanePixels > 0 ? Math.max(0, 1 - keptPixels / (lanePixels * widening)) : 0,
    falsePositiveRate: background > 0 ? speckle / background : 0,
    shiftPx: shift,
    shiftStdPx: matched > 0 ? Math.sqrt(Math.max(0, sumSq / matched - shift * shift)) : 0,
    lossRate: framesWithLane > 0 ? lostFrames / framesWithLane : 0,
    farDropRate: den > 0 ? Math.min(1, Math.max(0, num / den)) : 0,
    dilatePx: dilate,
    blobsPerFrame: keptFrames > 0 ? blobs / keptFrames : 0,
    blobRadiusPx: blobs > 0 ? Math.sqrt(blobArea / blobs / Math.PI) : 0,
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

/** One-row scan for the nearest predicted lane pixel (score ≥ threshold) at or left / at or right of each column. */
function nearestAbove(values: Float32Array, offset: number, w: number, threshold: number, left: Int32Array, right: Int32Array): void {
  let last = -1;
  for (let c = 0; c < w; c++) {
    if (values[offset + c] >= threshold) last = c;
    left[c] = last;
  }
  last = -1;
  for (let c = w - 1; c >= 0; c--) {
    if (values[offset + c] >= threshold) last = c;
    right[c] = last;
  }
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
