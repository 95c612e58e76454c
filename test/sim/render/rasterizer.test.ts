import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import { SUBPIXEL, TriangleRasterizer } from "../../../sim/render/rasterizer.ts";
import { V_STRIDE, V_SX, V_SY } from "../../../sim/render/vertexLayout.ts";

const W = 64,
  H = 48;

/** Snap three screen points (pixels) into a vertex buffer and run the rasterizer's setup on them. */
function setup(raster: TriangleRasterizer, xy: number[]): number {
  const buf = new Float32Array(3 * V_STRIDE);
  for (let i = 0; i < 3; i++) {
    buf[i * V_STRIDE + V_SX] = Math.round(xy[2 * i] * SUBPIXEL);
    buf[i * V_STRIDE + V_SY] = Math.round(xy[2 * i + 1] * SUBPIXEL);
  }
  return raster.setup(buf, 0, V_STRIDE, 2 * V_STRIDE);
}

/** Counts how often each pixel is covered by the given triangles (screen pixels, any winding). */
function coverage(tris: number[][]): Uint16Array {
  const raster = new TriangleRasterizer(W, H);
  const count = new Uint16Array(W * H);
  for (const t of tris) {
    if (setup(raster, t) === 0) continue;
    raster.computeSpans();
    for (let k = 0; k < raster.spanCount; k++) {
      for (let x = raster.spanX0[k]; x <= raster.spanX1[k]; x++) count[raster.spanY[k] * W + x]++;
    }
  }
  return count;
}

/**
 * A rectangle split into a grid of quads with jittered interior vertices (up to ±0.3 cell), two
 * triangles per quad, mixed windings. With `quantum` > 0 the jitter is rounded to multiples of it, so
 * that many vertices and shared edges land exactly on pixel centres.
 */
function tiledRect(x0: number, y0: number, x1: number, y1: number, n: number, m: number, rng: Random, quantum: number): number[][] {
  const px: number[][] = [],
    py: number[][] = [];
  for (let j = 0; j <= m; j++) {
    px.push([]);
    py.push([]);
    for (let i = 0; i <= n; i++) {
      let x = x0 + ((x1 - x0) * i) / n,
        y = y0 + ((y1 - y0) * j) / m;
      if (i > 0 && i < n && j > 0 && j < m) {
        let jx = rng.uniform(-0.3, 0.3) * ((x1 - x0) / n);
        let jy = rng.uniform(-0.3, 0.3) * ((y1 - y0) / m);
        if (quantum > 0) {
          jx = Math.trunc(jx / quantum) * quantum;
          jy = Math.trunc(jy / quantum) * quantum;
        }
        x += jx;
        y += jy;
      }
      px[j].push(x);
      py[j].push(y);
    }
  }
  const tris: number[][] = [];
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      const a = [px[j][i], py[j][i]],
        b = [px[j][i + 1], py[j][i + 1]],
        c = [px[j + 1][i + 1], py[j + 1][i + 1]],
        d = [px[j + 1][i], py[j + 1][i]];
      const flip = (i + j) % 2 === 0;
      const t1 = flip ? [...a, ...b, ...c] : [...a, ...c, ...b];
      const t2 = flip ? [...a, ...c, ...d] : [...a, ...d, ...c];
      tris.push(t1, t2);
    }
  }
  return tris;
}

describe("TriangleRasterizer fill rule", () => {
  it("covers every pixel of a tiled rectangle exactly once and nothing outside", () => {
    const rng = new Random(7);
    // Coarse grids exercise the per-row edge solver, fine ones (cells < 6 px) the per-pixel box scan.
    // Grid vertices start on pixel centres (cells of whole pixels); quantized jitter keeps many of them there.
    for (const [quantum, n, m] of [
      [0, 9, 7],
      [1, 9, 7],
      [0, 27, 19],
      [0.5, 27, 19],
    ] as const) {
      // Rectangle edges on pixel centres (x = 4.5, y = 3.5…): the top-left rule must include left/top, exclude right/bottom.
      const x0 = 4.5,
        y0 = 3.5,
        x1 = 58.5,
        y1 = 41.5;
      const count = coverage(tiledRect(x0, y0, x1, y1, n, m, rng, quantum));
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const cx = x + 0.5,
            cy = y + 0.5;
          const inside = cx >= x0 && cx < x1 && cy >= y0 && cy < y1;
          expect(count[y * W + x], `pixel (${x}, ${y}) quantum=${quantum} grid ${n}×${m}`).toBe(inside ? 1 : 0);
        }
      }
    }
  });

  it("covers every pixel of a triangle fan around a pixel centre exactly once", () => {
    const cx = 31.5,
      cy = 23.5,
      r = 60;
    const tris: number[][] = [];
    const n = 37;
    for (let k = 0; k < n; k++) {
      const a0 = (2 * Math.PI * k) / n,
        a1 = (2 * Math.PI * (k + 1)) / n;
      tris.push([cx, cy, cx + r * Math.cos(a0), cy + r * Math.sin(a0), cx + r * Math.cos(a1), cy + r * Math.sin(a1)]);
    }
    const count = coverage(tris);
    // The fan's outer polygon encloses the whole viewport, so every pixel must be hit exactly once.
    for (let i = 0; i < W * H; i++) expect(count[i], `pixel ${i % W}, ${Math.floor(i / W)}`).toBe(1);
  });

  it("reports the winding sign and rejects degenerate triangles", () => {
    const raster = new TriangleRasterizer(W, H);
    // Counter-clockwise as seen on screen (y down): (0,0) → (0,10) → (10,0).
    expect(setup(raster, [0, 0, 0, 10, 10, 0])).toBeGreaterThan(0);
    expect(setup(raster, [0, 0, 10, 0, 0, 10])).toBeLessThan(0);
    expect(setup(raster, [0, 0, 5, 5, 10, 10])).toBe(0);
  });
});
