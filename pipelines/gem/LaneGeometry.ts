import type { TrackPreset } from "../../worlds/index.ts";

/**
 * Where the painted lines of the driving lane lie, as lateral offsets of the
 * line centres from the road centreline (m, > 0 left). The GEM drives in the
 * right lane, whose centre is at −laneWidth/2.
 */
export interface LaneGeometry {
  /** Lane width (m). */
  laneWidth: number;
  /** Offset of the left line (solid centre line) of the driving lane from the lane centre (m). */
  leftLine: number;
  /** Offset of the right line (dashed edge line) from the lane centre (m, negative). */
  rightLine: number;
  /** Painted bands: lateral interval from the road centreline (m) and whether dashed. */
  bands: { lo: number; hi: number; dashed: boolean }[];
  dashLength: number;
  dashGap: number;
}

/**
 * Distance of the white dashed lines inside each road edge (m). Mirrors
 * `EDGE_INSET` in `worlds/track/buildTrack.ts`, which does not export it.
 */
const EDGE_INSET = 0.3;

/** The line layout `buildTrack` paints for a track preset. */
export function laneGeometry(preset: TrackPreset): LaneGeometry {
  const W = preset.laneWidth;
  const lw = preset.lineWidth;
  const rightCentre = -W + EDGE_INSET + lw / 2;
  return {
    laneWidth: W,
    leftLine: W / 2,
    rightLine: rightCentre + W / 2,
    bands: [
      { lo: -lw, hi: lw, dashed: false },
      { lo: -W + EDGE_INSET, hi: -W + EDGE_INSET + lw, dashed: true },
      { lo: W - EDGE_INSET - lw, hi: W - EDGE_INSET, dashed: true },
    ],
    dashLength: preset.dashLength,
    dashGap: preset.dashGap,
  };
}
