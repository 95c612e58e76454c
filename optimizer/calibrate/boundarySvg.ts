import type { Constraints } from "./Constraints.ts";
import { maximalPoints } from "./volume.ts";

/** Options of {@link boundarySvg}. */
export interface BoundarySvgOptions {
  /** Width and height of one panel (px). @default 420 */
  panelSize?: number;
  /** Title above the panels. @default the evaluation counts (the classified share is always shown below it) */
  title?: string;
  /** Link target of an evaluated point, by its QoS hash (e.g. the replay of its runs); no link when it returns undefined. */
  pointLink?: (hash: string) => string | undefined;
}

const MARGIN = { left: 60, right: 14, top: 30, bottom: 46 };
const COLORS = {
  uncertain: "#eeeeee",
  valid: "#bfe3bf",
  invalid: "#f3c4c4",
  passLine: "#2e7d32",
  failLine: "#c62828",
  text: "#222222",
  grid: "#ffffff",
};

/**
 * An SVG picture of a calibration: evaluated points (green pass, red fail),
 * the valid and invalid regions they imply by dominance, and the staircase
 * boundaries of both. Each axis runs from its best (left / bottom) to its
 * worst value, labelled in metric units.
 *
 * With two axes there is one exact panel. With more, one panel per pair of
 * axes: the valid region is drawn with the other axes at their best, the
 * invalid region with the other axes at their worst (the projections of the
 * down- and up-sets); the valid region is drawn over the invalid one, so
 * where they overlap the outcome depends on the other axes.
 */
export function boundarySvg(constraints: Constraints, options: BoundarySvgOptions = {}): string {
  const size = options.panelSize ?? 420;
  const d = constraints.dims;
  const pairs: [number, number][] = [];
  if (d === 1) pairs.push([0, -1]);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) pairs.push([i, j]);
  const cols = Math.ceil(Math.sqrt(pairs.length));
  const rows = Math.ceil(pairs.length / cols);
  const titleHeight = 44;
  const width = cols * size;
  const height = rows * size + titleHeight;
  const title =
    options.title ??
    `${constraints.points.length} QoS evaluations: ${constraints.passPoints.length} pass, ${constraints.failPoints.length} fail`;
  const subtitle = `${(100 * constraints.classifiedFraction()).toFixed(1)}% of the budget space classified (green valid, red invalid, grey uncertain)`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" font-size="13" text-anchor="middle" fill="${COLORS.text}">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="34" font-size="10" text-anchor="middle" fill="${COLORS.text}">${escapeXml(subtitle)}</text>`,
  ];
  const units = constraints.points.map((p) => ({
    u: constraints.unit(p.point),
    pass: p.pass,
    link: p.hash === undefined ? undefined : options.pointLink?.(p.hash),
  }));
  pairs.forEach(([i, j], k) => {
    const ox = (k % cols) * size;
    const oy = titleHeight + Math.floor(k / cols) * size;
    parts.push(panel(constraints, units, i, j, ox, oy, size, d > 2));
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function panel(
  constraints: Constraints,
  units: { u: number[]; pass: boolean; link?: string }[],
  i: number,
  j: number,
  ox: number,
  oy: number,
  size: number,
  projected: boolean,
): string {
  const w = size - MARGIN.left - MARGIN.right;
  const h = size - MARGIN.top - MARGIN.bottom;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const px = (u: number) => (ox + MARGIN.left + clamp(u) * w).toFixed(1);
  const py = (u: number) => (oy + MARGIN.top + (1 - clamp(u)) * h).toFixed(1);
  // One axis: regions span a dummy vertical axis, points sit in its middle.
  const yOf = (u: number[], region: "pass" | "fail" | "point") => (j >= 0 ? u[j] : region === "pass" ? 1 : region === "fail" ? 0 : 0.5);
  const pass = maximalPoints(units.filter((p) => p.pass).map((p) => [clamp(p.u[i]), clamp(yOf(p.u, "pass"))])).sort((a, b) => a[0] - b[0]);
  const fail = maximalPoints(units.filter((p) => !p.pass).map((p) => [1 - clamp(p.u[i]), 1 - clamp(yOf(p.u, "fail"))]))
    .map((p) => [1 - p[0], 1 - p[1]])
    .sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  out.push(`<rect x="${px(0)}" y="${py(1)}" width="${w}" height="${h}" fill="${COLORS.uncertain}"/>`);
  // Fail region first: in projections the valid region (other axes at best)
  // is drawn over it, so the overlap reads "depends on the other axes".
  const lines: string[] = [];
  if (fail.length > 0) {
    const stair: string[] = [`${px(fail[0][0])},${py(1)}`];
    fail.forEach((f, k) => {
      stair.push(`${px(f[0])},${py(f[1])}`);
      stair.push(`${px(k + 1 < fail.length ? fail[k + 1][0] : 1)},${py(f[1])}`);
    });
    out.push(`<polygon points="${stair.join(" ")} ${px(1)},${py(1)}" fill="${COLORS.invalid}"/>`);
    lines.push(`<polyline points="${stair.join(" ")}" fill="none" stroke="${COLORS.failLine}" stroke-width="1.5"/>`);
  }
  if (pass.length > 0) {
    // Staircase of the maximal passing points: x ascending, y descending.
    const stair: string[] = [`${px(0)},${py(pass[0][1])}`];
    pass.forEach((p, k) => {
      stair.push(`${px(p[0])},${py(p[1])}`);
      stair.push(`${px(p[0])},${py(k + 1 < pass.length ? pass[k + 1][1] : 0)}`);
    });
    out.push(`<polygon points="${px(0)},${py(0)} ${stair.join(" ")}" fill="${COLORS.valid}"/>`);
    lines.push(`<polyline points="${stair.join(" ")}" fill="none" stroke="${COLORS.passLine}" stroke-width="1.5"/>`);
  }
  out.push(...lines);
  for (const p of units) {
    const circle = `<circle cx="${px(p.u[i])}" cy="${py(yOf(p.u, "point"))}" r="3.2" fill="${p.pass ? COLORS.passLine : COLORS.failLine}" stroke="#ffffff" stroke-width="0.8"/>`;
    out.push(p.link ? `<a href="${p.link.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"><title>replay</title>${circle}</a>` : circle);
  }
  out.push(`<rect x="${px(0)}" y="${py(1)}" width="${w}" height="${h}" fill="none" stroke="${COLORS.text}" stroke-width="1"/>`);
  const axisX = constraints.axes[i];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const value = axisX.best + t * (axisX.worst - axisX.best);
    out.push(`<line x1="${px(t)}" y1="${py(0)}" x2="${px(t)}" y2="${(oy + MARGIN.top + h + 4).toFixed(1)}" stroke="${COLORS.text}"/>`);
    out.push(
      `<text x="${px(t)}" y="${(oy + MARGIN.top + h + 16).toFixed(1)}" font-size="10" text-anchor="middle" fill="${COLORS.text}">${formatTick(value)}</text>`,
    );
  }
  out.push(
    `<text x="${(ox + MARGIN.left + w / 2).toFixed(1)}" y="${(oy + size - 12).toFixed(1)}" font-size="12" text-anchor="middle" fill="${COLORS.text}">${escapeXml(axisX.name)} →worse</text>`,
  );
  if (j >= 0) {
    const axisY = constraints.axes[j];
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      const value = axisY.best + t * (axisY.worst - axisY.best);
      out.push(`<line x1="${(ox + MARGIN.left - 4).toFixed(1)}" y1="${py(t)}" x2="${px(0)}" y2="${py(t)}" stroke="${COLORS.text}"/>`);
      out.push(
        `<text x="${(ox + MARGIN.left - 6).toFixed(1)}" y="${(Number(py(t)) + 3.5).toFixed(1)}" font-size="10" text-anchor="end" fill="${COLORS.text}">${formatTick(value)}</text>`,
      );
    }
    const cx = ox + 14;
    const cy = oy + MARGIN.top + h / 2;
    out.push(
      `<text x="${cx}" y="${cy.toFixed(1)}" font-size="12" text-anchor="middle" fill="${COLORS.text}" transform="rotate(-90 ${cx} ${cy.toFixed(1)})">${escapeXml(axisY.name)} →worse</text>`,
    );
  }
  if (projected) {
    out.push(
      `<text x="${(ox + MARGIN.left + w / 2).toFixed(1)}" y="${(oy + MARGIN.top - 8).toFixed(1)}" font-size="10" text-anchor="middle" fill="${COLORS.text}">valid: other axes at best · invalid: other axes at worst</text>`,
    );
  }
  return out.join("\n");
}

function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
