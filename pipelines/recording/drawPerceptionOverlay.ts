import type { PerceptionLog } from "../runtime/PerceptionLog.ts";

/** Overlay colours (sRGB): the perception's output, and the truth it is compared with. */
const OUTPUT: readonly [number, number, number] = [255, 214, 0];
const TRUTH: readonly [number, number, number] = [40, 230, 90];
const MASK: readonly [number, number, number] = [255, 40, 200];

function dot(rgb: Uint8Array, w: number, h: number, x: number, y: number, c: readonly number[], r: number): void {
  for (let j = Math.floor(y - r); j <= Math.ceil(y + r); j++) {
    if (j < 0 || j >= h) continue;
    for (let i = Math.floor(x - r); i <= Math.ceil(x + r); i++) {
      if (i < 0 || i >= w) continue;
      const o = 3 * (j * w + i);
      rgb[o] = c[0];
      rgb[o + 1] = c[1];
      rgb[o + 2] = c[2];
    }
  }
}

function line(rgb: Uint8Array, w: number, h: number, x0: number, y0: number, x1: number, y1: number, c: readonly number[], r: number): void {
  const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
  for (let k = 0; k <= n; k++) dot(rgb, w, h, x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n, c, r);
}

/** An arrow from the bottom centre along the row direction seen from a robot at heading error φ (rad). */
function headingArrow(rgb: Uint8Array, w: number, h: number, phi: number, c: readonly number[], r: number): void {
  const len = 0.45 * h;
  const x0 = w / 2;
  const y0 = h - 1;
  // The row runs at −φ from the robot's forward axis; image x grows to the robot's right.
  const x1 = x0 + Math.sin(phi) * len;
  const y1 = y0 - Math.cos(phi) * len;
  line(rgb, w, h, x0, y0, x1, y1, c, r);
  const back = 0.12 * h;
  for (const side of [-0.5, 0.5]) {
    const a = phi + Math.PI + side;
    line(rgb, w, h, x1, y1, x1 + Math.sin(a) * back, y1 - Math.cos(a) * back, c, r);
  }
}

/**
 * Draws what the perception made of the latest frame onto an RGB camera
 * image (H×W×3, in place): CropFollow, the row direction as heading arrows
 * and the distance ratio as markers on a bar along the bottom (output yellow,
 * truth green); GEM, the lane mask blended in magenta.
 */
export function drawPerceptionOverlay(rgb: Uint8Array, width: number, height: number, log: PerceptionLog): void {
  const r = Math.max(0.5, width / 320);
  if (log.latestMask) {
    const { mask, width: mw, height: mh } = log.latestMask;
    for (let y = 0; y < height; y++) {
      const my = Math.min(mh - 1, Math.floor((y * mh) / height));
      for (let x = 0; x < width; x++) {
        if (!mask[my * mw + Math.min(mw - 1, Math.floor((x * mw) / width))]) continue;
        const o = 3 * (y * width + x);
        for (let k = 0; k < 3; k++) rgb[o + k] = (rgb[o + k] + MASK[k]) >> 1;
      }
    }
    return;
  }
  if (log.length === 0 || log.fields.output[0] !== "heading") return;
  const row = log.values().subarray((log.length - 1) * log.width, log.length * log.width);
  const nOut = log.fields.output.length;
  headingArrow(rgb, width, height, row[1 + nOut], TRUTH, r);
  headingArrow(rgb, width, height, row[1], OUTPUT, r);
  const barY = height - 3 * r - 1;
  line(rgb, width, height, 0, barY, width - 1, barY, [255, 255, 255], r / 2);
  const mark = (d: number, c: readonly number[]) => line(rgb, width, height, d * (width - 1), barY - 4 * r, d * (width - 1), barY + 2 * r, c, r);
  mark(Math.min(1, Math.max(0, row[2 + nOut])), TRUTH);
  mark(Math.min(1, Math.max(0, row[2])), OUTPUT);
}
