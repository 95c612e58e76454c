/// <reference lib="dom" />
/** One curve of a {@link TimePlot}. */
export interface PlotSeries {
  name: string;
  color: string;
  t: readonly number[];
  values: readonly number[];
  /** Draw points only (e.g. per-frame perception outputs). */
  dots?: boolean;
}

/**
 * A small time-series chart on a 2-D canvas: shared time axis, auto-scaled
 * values, a legend, and a cursor at the current time. Redrawn whole on every
 * cursor move (a few thousand points: cheap).
 */
export class TimePlot {
  readonly canvas: HTMLCanvasElement;
  private lo = 0;
  private hi = 1;

  constructor(
    parent: HTMLElement,
    private readonly title: string,
    private readonly series: PlotSeries[],
    private readonly tMax: number,
  ) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "plot";
    parent.appendChild(this.canvas);
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of series) {
      for (const v of s.values) {
        if (!Number.isFinite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(hi > lo)) {
      lo = Number.isFinite(lo) ? lo - 1 : -1;
      hi = Number.isFinite(hi) ? hi + 1 : 1;
    }
    const pad = 0.08 * (hi - lo);
    this.lo = lo - pad;
    this.hi = hi + pad;
  }

  /** Draws the curves and the cursor at `t`. */
  draw(t: number): void {
    const c = this.canvas;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const g = c.getContext("2d")!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const W = c.clientWidth;
    const H = c.clientHeight;
    const L = 44;
    const T = 16;
    const pw = W - L - 6;
    const ph = H - T - 14;
    g.fillStyle = "#15181d";
    g.fillRect(0, 0, W, H);
    const X = (x: number) => L + (x / Math.max(1e-9, this.tMax)) * pw;
    const Y = (y: number) => T + (1 - (y - this.lo) / (this.hi - this.lo)) * ph;
    g.strokeStyle = "#3a3f47";
    g.lineWidth = 1;
    g.strokeRect(L, T, pw, ph);
    if (this.lo < 0 && this.hi > 0) {
      g.beginPath();
      g.moveTo(L, Y(0));
      g.lineTo(L + pw, Y(0));
      g.stroke();
    }
    g.font = "10px sans-serif";
    g.fillStyle = "#9aa3ad";
    g.fillText(fmt(this.hi), 2, T + 8);
    g.fillText(fmt(this.lo), 2, T + ph);
    g.fillStyle = "#d8dde3";
    g.fillText(this.title, L, 11);
    let lx = L + g.measureText(this.title).width + 12;
    for (const s of this.series) {
      g.fillStyle = s.color;
      g.fillText(`■ ${s.name}`, lx, 11);
      lx += g.measureText(`■ ${s.name}`).width + 10;
      g.strokeStyle = s.color;
      g.beginPath();
      for (let i = 0; i < s.t.length; i++) {
        const x = X(s.t[i]);
        const y = Y(s.values[i]);
        if (s.dots) g.fillRect(x - 1, y - 1, 2, 2);
        else if (i === 0) g.moveTo(x, y);
        else g.lineTo(x, y);
      }
      if (!s.dots) g.stroke();
    }
    g.strokeStyle = "#ffffff";
    g.beginPath();
    g.moveTo(X(t), T);
    g.lineTo(X(t), T + ph);
    g.stroke();
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(2);
}
