import { check } from "../../common/index.ts";

/**
 * Parameters of the lane-mask pixel error model, as measured or injected.
 *
 * The model: every lane pixel is moved sideways (along its image row) by a
 * Gaussian shift, then dropped with probability `dropRate`; every background
 * pixel turns into a spurious lane pixel with probability `falsePositiveRate`.
 */
export interface LaneMaskErrorParams {
  /** Share of lane pixels with no predicted lane pixel within the matching radius in their row (0–1). */
  dropRate: number;
  /** Share of background pixels predicted lane with no true lane pixel within the radius (0–1). */
  falsePositiveRate: number;
  /** Mean signed lateral offset of predicted lane pixels from the nearest true lane pixel (px, + = right). */
  shift: number;
  /** Standard deviation of that offset (px). */
  shiftStd: number;
}

/** Options of {@link laneMaskErrorStats}. */
export interface LaneMaskStatsOptions {
  /** Score at or above which a predicted pixel is lane (0 for logits). @default 0.5 */
  threshold?: number;
  /** Matching radius along a row (px); farther pixels count as dropped / spurious. @default max(2, round(W / 16)) */
  maxShift?: number;
}

/**
 * Measures {@link LaneMaskErrorParams} from N×H×W predicted scores against
 * N×H×W label masks (lane > 0.5). Shift-matched pixels are not counted as
 * dropped or spurious, so the three effects are not double counted.
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
  const rows = predictions.length / w;
  // Nearest lane column at or left of / at or right of each column, per row (−1 = none).
  const labelLeft = new Int32Array(w);
  const labelRight = new Int32Array(w);
  const predLeft = new Int32Array(w);
  const predRight = new Int32Array(w);
  let lanePixels = 0;
  let background = 0;
  let dropped = 0;
  let spurious = 0;
  let matched = 0;
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * w;
    nearest(labels, o, w, 0.5, false, labelLeft, labelRight);
    nearest(predictions, o, w, threshold, true, predLeft, predRight);
    for (let c = 0; c < w; c++) {
      const lane = labels[o + c] > 0.5;
      const predicted = predictions[o + c] >= threshold;
      if (lane) {
        lanePixels++;
        if (distance(c, predLeft[c], predRight[c]) > radius) dropped++;
      } else background++;
      if (predicted) {
        const left = labelLeft[c];
        const right = labelRight[c];
        const dl = left < 0 ? Infinity : c - left;
        const dr = right < 0 ? Infinity : right - c;
        const offset = dl <= dr ? dl : -dr;
        if (Math.abs(offset) > radius) {
          if (!lane) spurious++;
        } else {
          matched++;
          sum += offset;
          sumSq += offset * offset;
        }
      }
    }
  }
  const shift = matched > 0 ? sum / matched : 0;
  return {
    dropRate: lanePixels > 0 ? dropped / lanePixels : 0,
    falsePositiveRate: background > 0 ? spurious / background : 0,
    shift,
    shiftStd: matched > 0 ? Math.sqrt(Math.max(0, sumSq / matched - shift * shift)) : 0,
  };
}

function distance(c: number, left: number, right: number): number {
  const dl = left < 0 ? Infinity : c - left;
  const dr = right < 0 ? Infinity : right - c;
  return Math.min(dl, dr);
}

/** One-row nearest-positive scan; `inclusive` compares with ≥ (scores) instead of > (labels). */
function nearest(
  values: Float32Array,
  offset: number,
  w: number,
  threshold: number,
  inclusive: boolean,
  left: Int32Array,
  right: Int32Array,
): void {
  let last = -1;
  for (let c = 0; c < w; c++) {
    const v = values[offset + c];
    if (inclusive ? v >= threshold : v > threshold) last = c;
    left[c] = last;
  }
  last = -1;
  for (let c = w - 1; c >= 0; c--) {
    const v = values[offset + c];
    if (inclusive ? v >= threshold : v > threshold) last = c;
    right[c] = last;
  }
}
