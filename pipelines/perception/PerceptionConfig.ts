import { z } from "zod";
import { parseInput } from "../../common/index.ts";

const finite = (what: string) =>
  z.number({ error: `expected a finite number (${what})` }).refine(Number.isFinite, { error: `expected a finite number (${what})` });
const nonNegative = (what: string) => finite(what).refine((x) => x >= 0, { error: `expected a number ≥ 0 (${what})` });
const rate = (what: string, hi: number) => finite(what).refine((x) => x >= 0 && x <= hi, { error: `expected a number in [0, ${hi}] (${what})` });

/** The terms of a {@link RegressionErrorSchema}. */
const regressionTerms = {
  /** Constant offset, in the output's unit. @default 0 */
  bias: finite("bias").default(0),
  /** Standard deviation of the noise, in the output's unit. @default 0 */
  std: nonNegative("std").default(0),
  /** Student-t degrees of freedom (> 2) for heavy tails; omit for Gaussian. */
  nu: finite("nu")
    .refine((x) => x > 2, { error: "expected a number > 2 (Student-t degrees of freedom)" })
    .optional(),
  /**
   * How the error follows the truth: the output moves (1 + gain) times as far from `center` as the truth
   * does. −1 is a network that has lost the signal (a constant output, so the error is the truth's whole
   * deviation); pruned CropFollow distance networks get there. In [−2, 2]. @default 0
   */
  gain: finite("gain")
    .refine((x) => x >= -2 && x <= 2, { error: "expected a number in [-2, 2]" })
    .default(0),
  /**
   * Growth of the noise's standard deviation per unit of |truth − center| (views far off the centre are
   * harder): the spread is `std + stdSlope·|truth − center|`. @default 0
   */
  stdSlope: nonNegative("stdSlope").default(0),
  /** The value a network with `gain` < 0 shrinks its outputs towards (its training labels' mean), in the output's unit. @default 0 */
  center: finite("center").default(0),
  /** Time constant of the noise's correlation (s); 0 = independent draws per frame. @default 0 */
  correlationTime: finite("correlationTime")
    .refine((x) => x >= 0 && x <= 3600, { error: "expected a number in [0, 3600] (s)" })
    .default(0),
  /**
   * Standard deviation of an offset added to `bias` for a whole run, drawn once per run from the run's
   * seed: a network whose bias differs from world to world. @default 0
   */
  runOffset: nonNegative("runOffset").default(0),
};
/** One alternative of a {@link RegressionErrorSchema}'s `perRun`: the same terms, defaults filled. */
const RegressionTermsSchema = z.strictObject(regressionTerms);
/**
 * Error of one regression output, as a degraded CNN makes it:
 * `truth + bias + gain·(truth − center) + noise`. The noise has standard
 * deviation `std + stdSlope·|truth − center|`; it is Gaussian, or Student-t with `nu` degrees of freedom
 * scaled so that its standard deviation is still `std` (heavy tails, same
 * spread); with `correlationTime` > 0 it is correlated in time (AR(1) with
 * correlation exp(−Δt/τ) between frames Δt apart; see `RegressionErrorProcess`); with `runOffset` > 0
 * the bias of each run is shifted by an N(0, runOffset²) draw held for the whole run.
 * Only `bias` and `std` given: independent Gaussian errors, as before the
 * other terms existed.
 */
export const RegressionErrorSchema = z.strictObject({
  ...regressionTerms,
  /**
   * Equally likely alternatives to the terms above, one drawn per run from the run's seed, that replace
   * them for that run: a network whose error differs from world to world (the calibration's world
   * spread). @default none
   */
  perRun: z.array(RegressionTermsSchema).min(1).optional(),
});
/** See {@link RegressionErrorSchema}. */
export type RegressionError = z.output<typeof RegressionErrorSchema>;
/** A {@link RegressionError} before defaults (only what differs from no error). */
export type RegressionErrorInput = z.input<typeof RegressionErrorSchema>;

/**
 * Error model of a lane mask: how a degraded lane network fails, applied to
 * the exact mask frame by frame. Pruned LaneNets do not lose independent
 * pixels: they first lose the far, thin end of the lines, then paint blobs,
 * then lose the lane altogether (empty masks over stretches of road). So:
 * 0. the frame is lost (empty mask) by a two-state Markov chain: a share
 *    `lossRate` of frames in episodes of `lossBurstFrames` frames on average;
 * 1. lane runs widen by `dilatePx` pixels on each side (thick, blurred lines);
 * 2. the whole mask shifts sideways by `shiftPx + N(0, shiftStdPx²)` pixels (rounded, new columns empty) —
 *    a lateral bias of the detector;
 * 3. the rows from the lane's farthest pixel to the bottom are cut into 8 bands × 2 image halves;
 *    each segment of line in a cell is lost with probability
 *    `farDropRate · (1 − band/8)`, band 0 being the farthest — contiguous dropouts, growing with distance;
 * 4. each remaining lane pixel is dropped with probability `dropRate` — missed detections;
 * 5. each background pixel below the horizon becomes a lane pixel with probability
 *    `falsePositiveRate` — speckle;
 * 6. Poisson(`blobsPerFrame`) spurious discs of radius `blobRadiusPx` appear below the horizon.
 * Every structured term defaults to 0, which leaves the pixel model (2, 4, 5) exactly as it was.
 */
export const LaneMaskErrorSchema = z.strictObject({
  /** Probability of dropping each true lane pixel, in [0, 1]. @default 0 */
  dropRate: rate("dropRate", 1).default(0),
  /** Probability of each background pixel turning on, in [0, 0.5]. @default 0 */
  falsePositiveRate: rate("falsePositiveRate", 0.5).default(0),
  /** Lateral shift of the mask (pixels, > 0 to the right in the image). @default 0 */
  shiftPx: finite("shiftPx").default(0),
  /** Per-frame random lateral shift (pixels, 1σ). @default 0 */
  shiftStdPx: nonNegative("shiftStdPx").default(0),
  /** Share of frames lost entirely (empty mask), in [0, 1]. @default 0 */
  lossRate: rate("lossRate", 1).default(0),
  /**
   * Mean length of a loss episode (frames, ≥ 1); raised to 1 / (1 − lossRate) when lower, the length of
   * independent losses. @default 10 (half a second at the GEM's 20 FPS: degraded networks lose stretches of road, not single frames)
   */
  lossBurstFrames: finite("lossBurstFrames")
    .refine((x) => x >= 1 && x <= 10_000, { error: "expected a number in [1, 10000]" })
    .default(10),
  /** Probability of losing a line segment in the farthest band, falling linearly to 0 at the bottom, in [0, 1]. @default 0 */
  farDropRate: rate("farDropRate", 1).default(0),
  /** Widening of lane runs on each side (pixels; a fraction is applied as a chance of one more pixel). @default 0 */
  dilatePx: finite("dilatePx")
    .refine((x) => x >= 0 && x <= 16, { error: "expected a number in [0, 16]" })
    .default(0),
  /** Mean number of spurious blobs per frame, in [0, 50]. @default 0 */
  blobsPerFrame: finite("blobsPerFrame")
    .refine((x) => x >= 0 && x <= 50, { error: "expected a number in [0, 50]" })
    .default(0),
  /** Radius of a spurious blob (pixels). @default 0 */
  blobRadiusPx: finite("blobRadiusPx")
    .refine((x) => x >= 0 && x <= 64, { error: "expected a number in [0, 64]" })
    .default(0),
});
/** See {@link LaneMaskErrorSchema}. */
export type LaneMaskError = z.output<typeof LaneMaskErrorSchema>;
/** A {@link LaneMaskError} before defaults (every field optional). */
export type LaneMaskErrorInput = z.input<typeof LaneMaskErrorSchema>;

/** The camera a source needs rendered (pixels; horizontal field of view in degrees). */
export const CameraRequestSchema = z.strictObject({
  width: finite("width").refine((x) => Number.isInteger(x) && x >= 8 && x <= 4096, { error: "expected an integer in [8, 4096]" }),
  height: finite("height").refine((x) => Number.isInteger(x) && x >= 8 && x <= 4096, { error: "expected an integer in [8, 4096]" }),
  hfovDeg: finite("hfovDeg")
    .refine((x) => x > 10 && x < 170, { error: "expected a number in (10, 170)" })
    .optional(),
});
/** See {@link CameraRequestSchema}. */
export type CameraRequest = z.output<typeof CameraRequestSchema>;

/** The lane-mask mode a perception config without `laneMask` gets (the CLI checks `--mask-pool` against it). */
export const DEFAULT_LANE_MASK = "exact";

/**
 * GEM lane masks for oracle and injected perception: `exact` draws the mask
 * analytically from the track geometry (no rendering, fast); `rendered` uses
 * the simulator's rasterized lane-marking scene (cones occlude lines).
 */
const LaneMaskModeSchema = z.enum(["exact", "rendered"], { error: 'expected "exact" or "rendered"' }).default(DEFAULT_LANE_MASK);

/**
 * `rendered` GEM lane masks drawn at this many times the mask size per axis
 * and max-pooled to it, as a LaneNet's training labels are made (`poolMasks`
 * of the dataset's masks, rendered at the network's input size): the mask the
 * network learns to output, thin far lines and worn paint included. 1 renders
 * at the mask size itself, where lines thinner than a pixel vanish.
 */
const MaskPoolSchema = z
  .number({ error: "expected an integer in [1, 8]" })
  .int({ error: "expected an integer in [1, 8]" })
  .min(1, { error: "expected an integer in [1, 8]" })
  .max(8, { error: "expected an integer in [1, 8]" })
  .default(1);

/**
 * Whether lane masks drawn `laneMask`-wise may be max-pooled by `maskPool`: pooling is of rendered masks
 * (exact ones are drawn at the mask size). The one rule the schema, `OracleLaneMask` and the CLI check.
 */
export const poolingAllowed = (laneMask: string, maskPool: number): boolean => maskPool === 1 || laneMask === "rendered";
const renderedIfPooled = (c: { laneMask: string; maskPool: number }) => poolingAllowed(c.laneMask, c.maskPool);
const POOL_NEEDS_RENDERED = { path: ["maskPool"], error: 'pooling needs laneMask "rendered"' };

/** Oracle: exact ground truth (no camera frames). */
const OracleSchema = z
  .strictObject({ kind: z.literal("oracle"), laneMask: LaneMaskModeSchema, maskPool: MaskPoolSchema })
  .refine(renderedIfPooled, POOL_NEEDS_RENDERED);

/**
 * Error of each output of one regression network (see {@link InjectedSchema}'s `networks`): entry k of
 * each array is output k's {@link RegressionErrorSchema} field (missing entries take that field's default),
 * `tail` standing for `nu` (as 1/ν, so 0 can mean Gaussian).
 */
const networkErrorTerms = {
  /** Constant offset per output. @default [] (none) */
  bias: z.array(finite("bias")).default([]),
  /** Standard deviation per output. @default [] (none) */
  std: z.array(nonNegative("std")).default([]),
  /** Tail weight 1/ν per output, in [0, 0.5): 0 = Gaussian, else Student-t with ν = 1/tail degrees of freedom. @default Gaussian */
  tail: z.array(finite("tail").refine((x) => x >= 0 && x < 0.5, { error: "expected a number in [0, 0.5) (1/ν)" })).optional(),
  /** Gain error per output (see {@link RegressionErrorSchema}). @default none */
  gain: z.array(finite("gain").refine((x) => x >= -2 && x <= 2, { error: "expected a number in [-2, 2]" })).optional(),
  /** Growth of each output's noise spread off its centre. @default 0 */
  stdSlope: z.array(nonNegative("stdSlope")).optional(),
  /** Centre of each output's gain error. @default 0 */
  center: z.array(finite("center")).optional(),
  /** Correlation time per output (s). @default 0 */
  correlationTime: z
    .array(finite("correlationTime").refine((x) => x >= 0 && x <= 3600, { error: "expected a number in [0, 3600] (s)" }))
    .optional(),
  /** Spread of each output's per-run offset. @default 0 */
  runOffset: z.array(nonNegative("runOffset")).optional(),
};
const NetworkErrorSchema = z.strictObject({
  ...networkErrorTerms,
  /** Per-run alternatives to the arrays above (see {@link RegressionErrorSchema}'s `perRun`). @default none */
  perRun: z.array(z.strictObject(networkErrorTerms)).min(1).optional(),
});
/** See {@link NetworkErrorSchema}. */
export type NetworkError = z.output<typeof NetworkErrorSchema>;

/** Oracle plus an explicit error model; all randomness from the run seed. */
const InjectedSchema = z
  .strictObject({
    kind: z.literal("injected"),
    /** CropFollow: error of the heading φ (rad). */
    heading: RegressionErrorSchema.prefault({}),
    /** CropFollow: error of the distance ratio d (ratio units; the result is clamped to [0, 1]). */
    distance: RegressionErrorSchema.prefault({}),
    /** GEM: pixel error model of the lane mask. */
    lane: LaneMaskErrorSchema.prefault({}),
    laneMask: LaneMaskModeSchema,
    maskPool: MaskPoolSchema,
    /**
     * Other applications: errors of regression networks, by network name — output k gets the
     * {@link RegressionErrorSchema} error with `bias[k]`, `std[k]`, … in its own unit (missing entries: defaults). What an application whose networks
     * the fields above do not name writes in its `injectedPerception` and reads in its `createPerception`.
     */
    networks: z.record(z.string(), NetworkErrorSchema).optional(),
  })
  .refine(renderedIfPooled, POOL_NEEDS_RENDERED);

/**
 * A CNN run by onnxruntime-node on rendered frames. Preprocessing: the RGB
 * frame is rendered at the model's input size (so no resizing), converted to
 * float NCHW, scaled to [0, 1], then normalised per channel by `mean`/`std`.
 */
const OnnxSchema = z.strictObject({
  kind: z.literal("onnx"),
  /**
   * Path to the `.onnx` file: CropFollow, a network giving (φ, d) (see `OnnxRowPerception`), or with
   * `distanceModel` the heading network; GEM, the lane segmentation network.
   */
  model: z.string().min(1, { error: "expected a path to an .onnx file" }),
  /** CropFollow only: a separate distance-ratio network (same input size); `model` then gives φ alone. */
  distanceModel: z.string().min(1, { error: "expected a path to an .onnx file" }).optional(),
  /** Per-channel mean subtracted after scaling to [0, 1] (RGB). @default [0.485, 0.456, 0.406] (ImageNet) */
  mean: z.tuple([finite("mean"), finite("mean"), finite("mean")]).default([0.485, 0.456, 0.406]),
  /** Per-channel divisor after subtracting the mean (RGB). @default [0.229, 0.224, 0.225] (ImageNet) */
  std: z
    .tuple([finite("std"), finite("std"), finite("std")])
    .refine((s) => s.every((x) => x > 0), { error: "expected std > 0" })
    .default([0.229, 0.224, 0.225]),
  /** Horizontal field of view of the rendered camera (deg). @default the robot's camera: 90° (TerraSentia and GEM) */
  hfovDeg: finite("hfovDeg")
    .refine((x) => x > 10 && x < 170, { error: "expected a number in (10, 170)" })
    .optional(),
  /** Lane masks: a 1-channel output is lane where > threshold (logits: use 0); 2-channel outputs use argmax. @default 0 */
  threshold: finite("threshold").default(0),
  /** onnxruntime intra-op threads (1 keeps seeds in parallel workers from competing). @default 1 */
  threads: finite("threads")
    .refine((x) => Number.isInteger(x) && x >= 1 && x <= 64, { error: "expected an integer in [1, 64]" })
    .default(1),
});

/** Which perception a closed-loop run uses; `kind` picks the implementation. */
export const PerceptionConfigSchema = z.discriminatedUnion("kind", [OracleSchema, InjectedSchema, OnnxSchema], {
  error: 'expected kind "oracle", "injected" or "onnx"',
});
/** See {@link PerceptionConfigSchema}. */
export type PerceptionConfig = z.output<typeof PerceptionConfigSchema>;
/** Input form of {@link PerceptionConfig} (defaults may be omitted). */
export type PerceptionConfigInput = z.input<typeof PerceptionConfigSchema>;

/**
 * Validates a perception configuration, filling defaults.
 * @throws InputError naming `where.field` and what was expected.
 */
export function parsePerceptionConfig(raw: unknown, where = "perception"): PerceptionConfig {
  return parseInput(PerceptionConfigSchema, raw, where, "object");
}
