/** Options shared by the CropFollow regression backbones ({@link resnet18Style}, {@link squeezeNetStyle}, {@link darkNetStyle}). */
export interface RegressionNetOptions {
  /** Input frame height (px). @default 120 (half the paper's 240) */
  height?: number;
  /** Input frame width (px). @default 160 (half the paper's 320) */
  width?: number;
  /**
   * Channel multiplier on the documented widths (e.g. 0.25 for a tiny test
   * variant); every width is rounded to a multiple of 4, at least 4. @default 1
   */
  widthMultiplier?: number;
  /** Output channels of the head's 3×3 conv (the paper used 512). @default 256 */
  headChannels?: number;
  /** Regression outputs of the last Gemm. @default 1 */
  outputs?: number;
  /** Name of the last Gemm; its output value, the graph output, is `<outputName>_out`. @default "output" */
  outputName?: string;
  /** Graph input name. @default "image" */
  inputName?: string;
  /** Seed of the weight initialisation. @default 0 */
  seed?: number;
}

/** Options of the LaneNet encoder–decoders ({@link laneNetVggStyle}, {@link laneNetDarkNetStyle}). */
export interface LaneNetOptions {
  /** Input frame height (px, divisible by 32). @default 128 */
  height?: number;
  /** Input frame width (px, divisible by 32). @default 256 */
  width?: number;
  /** Channel multiplier on the documented widths; widths are rounded to a multiple of 4, at least 4. @default 1 */
  widthMultiplier?: number;
  /** Graph input name. @default "image" */
  inputName?: string;
  /** Name of the 1×1 logits conv; the graph output is `<outputName>_out`. @default "mask" */
  outputName?: string;
  /** Seed of the weight initialisation. @default 0 */
  seed?: number;
}

/** Where the LaneNet decoders put the mask: 1/4 of the input per axis (see {@link laneNetVggStyle}). */
export const LANE_MASK_FACTOR = 4;
