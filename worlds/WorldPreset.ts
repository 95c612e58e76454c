import { z } from "zod";
import { InputError, parseInput } from "../common/index.ts";

/** A required number field in [lo, hi]; every failure message names the allowed range. */
function req(lo: number, hi: number, integer = false) {
  const msg = `expected ${integer ? "an integer" : "a number"} in [${lo}, ${hi}]`;
  const t = z.number({ error: msg }).min(lo, { error: msg }).max(hi, { error: msg });
  return integer ? t.int({ error: msg }) : t;
}

/** An optional number field in [lo, hi] with a default. */
function num(lo: number, hi: number, fallback: number, integer = false) {
  return req(lo, hi, integer).default(fallback);
}

/** A `[min, max]` range drawn from per seed, itself inside [lo, hi]. */
function span(lo: number, hi: number, fallback: [number, number]) {
  const msg = `expected [min, max] with ${lo} ≤ min ≤ max ≤ ${hi}`;
  return z
    .tuple([req(lo, hi), req(lo, hi)], { error: msg })
    .refine(([a, b]) => a <= b, { error: msg })
    .default(fallback);
}

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'expected a colour "#rrggbb"' });

/** Sky, sun and fog; ranges are drawn per seed so that one preset yields varied lighting. */
const EnvironmentSchema = z.strictObject({
  /** Sun elevation above the horizon (deg). */
  sunElevationDeg: span(5, 90, [35, 65]),
  /** Sun azimuth, CCW from +x (deg). */
  sunAzimuthDeg: span(-360, 360, [-180, 180]),
  /** Sky colour at zero jitter. */
  skyColor: color.default("#9ec9ee"),
  /** Per-channel random jitter of the sky colour (fraction of full scale). */
  skyJitter: num(0, 0.3, 0.05),
  /** Ambient light intensity range. */
  ambient: span(0, 2, [0.35, 0.55]),
  /** Directional (sun) light intensity range. */
  sunIntensity: span(0, 5, [1.6, 2.4]),
  /** Fog start and end distances (m); fog colour is the sky colour. */
  fogNear: num(0, 1000, 15),
  fogFar: num(1, 5000, 60),
});

/** Crop-field world: parallel plant rows the TerraSentia drives between. */
export const CropFieldPresetSchema = z.strictObject({
  kind: z.literal("cropfield"),
  name: z.string().default("cropfield"),
  rows: z.strictObject({
    /** Number of plant rows (≥ 2: the robot starts between the two central rows). */
    count: num(2, 40, 6, true),
    /** Distance between adjacent rows (m); 0.76 m = 30 in corn rows. */
    spacing: num(0.4, 2, 0.76),
    /** Row length along the centreline (m). */
    length: num(5, 1000, 30),
    /** Optional curvature: straight for `straightBefore` m, then a circular arc of `radius` m. */
    curve: z
      .strictObject({
        radius: req(5, 10000),
        turn: z.enum(["left", "right"], { error: 'expected "left" or "right"' }),
        straightBefore: num(0, 1000, 0),
      })
      .optional(),
  }),
  plants: z
    .strictObject({
      /** Mean distance between plants along a row (m). */
      spacing: num(0.08, 1, 0.2),
      /** Uniform jitter of each plant's position along the row (± m). */
      spacingJitter: num(0, 0.2, 0.03),
      /** Uniform jitter of each plant's position across the row (± m). */
      lateralJitter: num(0, 0.1, 0.02),
      /** Mean plant height (m). */
      height: num(0.2, 3.5, 1.2),
      /** Uniform height jitter (± m). */
      heightJitter: num(0, 1, 0.2),
      /** Stem (collider) radius (m). */
      stemRadius: num(0.004, 0.08, 0.012),
      /** Leaves per plant, drawn uniformly from [min, max]. */
      leaves: span(0, 12, [4, 7]),
      /** Leaf length (m). */
      leafLength: num(0.05, 1.5, 0.45),
      /** Random leaf droop/pitch jitter (rad). */
      leafAngleJitter: num(0, 1.2, 0.3),
      /** Probability that a plant position starts a gap of missing plants. */
      gapProbability: num(0, 0.5, 0),
      /** Longest gap (plants) once one starts. */
      gapMaxPlants: num(1, 50, 4, true),
    })
    .prefault({}),
  weeds: z
    .strictObject({
      /** Weeds per metre of row; 0 disables them. */
      perMeter: num(0, 20, 0),
      /** Weed height (m). */
      height: num(0.02, 0.6, 0.15),
      /** Largest distance of a weed from its row line (m); keep below the robot's clearance. */
      maxOffset: num(0, 0.3, 0.1),
    })
    .prefault({}),
  /** Soil colour; the texture adds clods and noise around it. */
  soilColor: color.default("#6b4f37"),
  /** Distance (m) along the row from the row start to the robot's start pose. */
  startOffset: num(-5, 1000, 0.5),
  // Inside a corn field the view is short; a near fog also bounds what the camera must draw.
  environment: EnvironmentSchema.prefault({ fogNear: 10, fogFar: 35 }),
});

const StraightSchema = z.strictObject({ kind: z.literal("straight"), length: req(0.5, 10000) });
const ArcSchema = z.strictObject({
  kind: z.literal("arc"),
  radius: req(5, 10000),
  /** Swept angle (deg); > 0 turns left, < 0 right. */
  angleDeg: req(-360, 360),
});

/** Paved two-lane track the GEM e2 drives along (right-hand traffic, in the right lane). */
export const TrackPresetSchema = z.strictObject({
  kind: z.literal("track"),
  name: z.string().default("track"),
  /** The road centreline (yellow line), from the start; an open route. */
  segments: z
    .array(z.discriminatedUnion("kind", [StraightSchema, ArcSchema], { error: 'expected kind "straight" or "arc"' }))
    .min(1, { error: "expected at least one segment" }),
  /** Width of one lane (m). */
  laneWidth: num(2.5, 6, 4.5),
  /** Width of painted lines (m). */
  lineWidth: num(0.05, 0.5, 0.15),
  /** White dashes: painted and gap length (m). */
  dashLength: num(0.5, 20, 3),
  dashGap: num(0.5, 40, 6),
  /** Distance from the road edge to the cone line (m). */
  shoulder: num(0.2, 5, 0.8),
  cones: z
    .strictObject({
      spacing: num(0.3, 10, 1.2),
      radius: num(0.05, 0.6, 0.17),
      height: num(0.2, 2, 0.7),
    })
    .prefault({}),
  /** Trees scattered beyond the cones. */
  trees: num(0, 500, 24, true),
  /**
   * Lane-marking wear in [0, 1]; 0 (default) = fresh paint. At wear w each
   * painted piece (a dash, or a 3 m chunk of a solid line) is faded toward
   * the asphalt colour by a random fraction up to w and is missing entirely
   * with probability w/3, drawn per world seed. The world's lane-mask scene
   * holds exactly the pieces still present; the pipelines' analytic (oracle)
   * lane mask draws the designed geometry and ignores wear.
   */
  wear: num(0, 1, 0),
  asphaltColor: color.default("#3c3d40"),
  grassColor: color.default("#4f7a32"),
  /** Distance (m) along the route of the robot's start pose. */
  startOffset: num(0, 10000, 5),
  environment: EnvironmentSchema.prefault({ fogNear: 40, fogFar: 180 }),
});

/** A crop-field preset after validation and defaults. */
export type CropFieldPreset = z.output<typeof CropFieldPresetSchema>;
/** A track preset after validation and defaults; oracle lane masks from the pipelines ignore its `wear` (see the schema). */
export type TrackPreset = z.output<typeof TrackPresetSchema>;
/** Validated world description; `kind` picks the generator. */
export type WorldPreset = CropFieldPreset | TrackPreset;
/** Environment block shared by all presets. */
export type EnvironmentPreset = z.output<typeof EnvironmentSchema>;

const WorldPresetSchema = z.discriminatedUnion("kind", [CropFieldPresetSchema, TrackPresetSchema], {
  error: 'expected kind "cropfield" or "track"',
});

/**
 * Size limits that keep every accepted world buildable in bounded time and
 * memory. Measured on the 2-core machine (loaded): 100,000 plants with 12
 * leaves each (40 rows × 200 m at 8 cm) build in 13 s and ~355 MB; a 20 km
 * track (33,000 cones) in 2.8 s and ~135 MB.
 */
export const WORLD_LIMITS = {
  /** Plants plus weeds in a crop field (rows.count × rows.length ÷ plants.spacing, plus weeds). */
  maxFieldObjects: 100_000,
  /** Length of a track's route (m). */
  maxRouteLength: 20_000,
  /** Segments of a track's route. */
  maxSegments: 500,
  /** Road to drive past the start pose, at least (m): a start at or beyond the path's end is refused. */
  minPathAhead: 1,
} as const;

/**
 * Validates raw JSON as a {@link WorldPreset}, filling defaults and
 * refusing worlds beyond {@link WORLD_LIMITS} or with inconsistent fields
 * (a start beyond the path, a curve radius inside the field, ...).
 * @param source names the file (or origin) in error messages.
 * @throws InputError naming `source: field.path` and the allowed range.
 */
export function parseWorldPreset(raw: unknown, source = "preset"): WorldPreset {
  const preset = parseInput(WorldPresetSchema, raw, source);
  if (preset.kind === "cropfield") {
    const c = preset.rows.curve;
    const halfWidth = (preset.rows.count / 2) * preset.rows.spacing;
    if (c && c.radius <= halfWidth + 0.5) {
      throw new InputError(`${source}: rows.curve.radius`, `expected a number > ${halfWidth + 0.5} (half the field width plus 0.5 m)`);
    }
    if (c && c.straightBefore >= preset.rows.length) {
      throw new InputError(`${source}: rows.curve.straightBefore`, `expected a number < rows.length (${preset.rows.length})`);
    }
    const [lmin, lmax] = preset.plants.leaves;
    if (!Number.isInteger(lmin) || !Number.isInteger(lmax)) {
      throw new InputError(`${source}: plants.leaves`, "expected integers [min, max]");
    }
    if (preset.environment.fogFar <= preset.environment.fogNear) {
      throw new InputError(`${source}: environment.fogFar`, `expected a number > environment.fogNear (${preset.environment.fogNear})`);
    }
    const { count, length } = preset.rows;
    const objects = (count * length) / preset.plants.spacing + count * length * preset.weeds.perMeter;
    if (objects > WORLD_LIMITS.maxFieldObjects) {
      throw new InputError(
        `${source}: rows`,
        `${count} rows × ${length} m hold ~${Math.round(objects).toLocaleString("en-US")} plants and weeds; at most ` +
          `${WORLD_LIMITS.maxFieldObjects.toLocaleString("en-US")} keep the world buildable (fewer or shorter rows, wider plants.spacing, fewer weeds)`,
      );
    }
    if (preset.startOffset > length - WORLD_LIMITS.minPathAhead) {
      throw new InputError(
        `${source}: startOffset`,
        `expected a number ≤ ${length - WORLD_LIMITS.minPathAhead} (rows.length ${length} m minus ${WORLD_LIMITS.minPathAhead} m to drive), got ${preset.startOffset}`,
      );
    }
  } else {
    if (preset.segments.length > WORLD_LIMITS.maxSegments) {
      throw new InputError(`${source}: segments`, `expected at most ${WORLD_LIMITS.maxSegments} segments, got ${preset.segments.length}`);
    }
    const route = preset.segments.reduce(
      (a, seg) => a + (seg.kind === "straight" ? seg.length : (Math.abs(seg.angleDeg) * Math.PI * seg.radius) / 180),
      0,
    );
    if (route > WORLD_LIMITS.maxRouteLength) {
      throw new InputError(
        `${source}: segments`,
        `the route is ${Math.round(route).toLocaleString("en-US")} m long; at most ${WORLD_LIMITS.maxRouteLength.toLocaleString("en-US")} m keep the world buildable`,
      );
    }
    if (preset.startOffset > route - WORLD_LIMITS.minPathAhead) {
      throw new InputError(
        `${source}: startOffset`,
        `expected a number ≤ ${(route - WORLD_LIMITS.minPathAhead).toFixed(1)} (the route's ${route.toFixed(1)} m minus ${WORLD_LIMITS.minPathAhead} m to drive), got ${preset.startOffset}`,
      );
    }
    const inner = preset.laneWidth + preset.shoulder + 1;
    preset.segments.forEach((seg, i) => {
      if (seg.kind === "arc" && seg.radius <= inner) {
        throw new InputError(`${source}: segments[${i}].radius`, `expected a number > ${inner} (lane width + shoulder + 1 m)`);
      }
    });
    if (preset.environment.fogFar <= preset.environment.fogNear) {
      throw new InputError(`${source}: environment.fogFar`, `expected a number > environment.fogNear (${preset.environment.fogNear})`);
    }
  }
  return preset;
}
