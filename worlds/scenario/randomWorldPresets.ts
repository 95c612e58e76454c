import type { Random } from "../../common/index.ts";
import { parseWorldPreset, type CropFieldPreset, type TrackPreset } from "../WorldPreset.ts";

/** A colour `#rrggbb` with each channel moved by up to ±`jitter` (0–255 scale). */
function jitterColor(hex: string, jitter: number, rng: Random): string {
  const v = parseInt(hex.slice(1), 16);
  const ch = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((c) => Math.max(0, Math.min(255, Math.round(c + rng.uniform(-jitter, jitter)))));
  return `#${ch.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** An ordered [lo, hi] sub-range of [a, b]: per-world spans that buildWorld then draws inside. */
function subSpan(a: number, b: number, rng: Random): [number, number] {
  const x = rng.uniform(a, b);
  const y = rng.uniform(a, b);
  return x < y ? [x, y] : [y, x];
}

function environment(rng: Random, fogNear: [number, number], fogFar: [number, number]) {
  const near = rng.uniform(fogNear[0], fogNear[1]);
  return {
    sunElevationDeg: subSpan(15, 85, rng),
    sunAzimuthDeg: [-180, 180] as [number, number],
    skyColor: jitterColor("#9ec9ee", 40, rng),
    skyJitter: 0.08,
    ambient: subSpan(0.25, 0.7, rng),
    sunIntensity: subSpan(1.0, 3.0, rng),
    fogNear: near,
    fogFar: near + rng.uniform(fogFar[0], fogFar[1]),
  };
}

/**
 * A randomized crop field for one dataset world: straight or curved rows
 * (left/right arcs of radius 25–90 m), row spacing 0.70–0.82 m, plant
 * spacing/height/leaf variation, gaps, weeds, soil colour, sun, sky and fog.
 * The shipped presets `cropfield-straight` and `cropfield-curved` lie inside
 * these ranges. Every draw comes from `rng`, so a world seed fixes the preset.
 */
export function randomCropFieldPreset(rng: Random): CropFieldPreset {
  const length = rng.uniform(18, 40);
  const curved = rng.chance(0.6);
  const height = rng.uniform(0.8, 1.8);
  const leavesLo = rng.int(3, 5);
  return parseWorldPreset(
    {
      kind: "cropfield",
      name: "dataset-cropfield",
      rows: {
        count: 6,
        spacing: rng.uniform(0.7, 0.82),
        length,
        ...(curved
          ? {
              curve: {
                radius: rng.uniform(25, 90),
                turn: rng.chance(0.5) ? "left" : "right",
                straightBefore: rng.uniform(0, Math.min(10, length / 3)),
              },
            }
          : {}),
      },
      plants: {
        spacing: rng.uniform(0.15, 0.25),
        spacingJitter: rng.uniform(0.01, 0.05),
        lateralJitter: rng.uniform(0.005, 0.03),
        height,
        heightJitter: rng.uniform(0.1, 0.35),
        leaves: [leavesLo, leavesLo + rng.int(1, 3)],
        leafLength: rng.uniform(0.3, 0.6),
        leafAngleJitter: rng.uniform(0.15, 0.45),
        gapProbability: rng.chance(0.5) ? rng.uniform(0, 0.07) : 0,
        gapMaxPlants: rng.int(2, 6),
      },
      weeds: { perMeter: rng.chance(0.5) ? rng.uniform(0, 5) : 0, height: rng.uniform(0.08, 0.25), maxOffset: rng.uniform(0.05, 0.12) },
      soilColor: jitterColor("#6b4f37", 30, rng),
      startOffset: 0.5,
      environment: environment(rng, [6, 14], [15, 35]),
    },
    "randomCropFieldPreset",
  ) as CropFieldPreset;
}

/**
 * A randomized track for one dataset world: 4–6 segments alternating
 * straights (15–50 m) and left/right arcs (radius 25–90 m, 30–100°), lane
 * width 4.2–4.8 m, line width and dash pattern, asphalt/grass colours, sun,
 * sky, fog and lane-marking wear 0–0.6. The shipped `gem-track` lies inside these ranges.
 */
export function randomTrackPreset(rng: Random): TrackPreset {
  const n = rng.int(4, 6);
  const segments: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) segments.push({ kind: "straight", length: rng.uniform(15, 50) });
    else segments.push({ kind: "arc", radius: rng.uniform(25, 90), angleDeg: (rng.chance(0.5) ? 1 : -1) * rng.uniform(30, 100) });
  }
  return parseWorldPreset(
    {
      kind: "track",
      name: "dataset-track",
      segments,
      laneWidth: rng.uniform(4.2, 4.8),
      lineWidth: rng.uniform(0.1, 0.2),
      dashLength: rng.uniform(2, 4),
      dashGap: rng.uniform(4, 8),
      shoulder: rng.uniform(0.6, 1.0),
      trees: rng.int(10, 40),
      asphaltColor: jitterColor("#3c3d40", 18, rng),
      grassColor: jitterColor("#4f7a32", 25, rng),
      startOffset: 5,
      environment: environment(rng, [30, 50], [100, 160]),
      // Drawn last so the other draws keep their place in the stream.
      wear: rng.uniform(0, 0.6),
    },
    "randomTrackPreset",
  ) as TrackPreset;
}
