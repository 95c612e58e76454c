/**
 * Colour-space helpers for the software renderer.
 *
 * three.js keeps colours, vertex colours and lighting in linear sRGB and encodes to sRGB
 * (`linearToOutputTexel`) at the end of every fragment shader; these helpers reproduce that
 * transfer function bit-compatibly enough to land within a rounding step of WebGL output.
 */

/** Entries per unit of linear intensity in {@link SRGB_ENCODE_TABLE}. */
export const SRGB_TABLE_SCALE = 16384;

/** Linear → sRGB transfer function (IEC 61966-2-1), same branch point as three.js's shader chunk. */
export function linearToSrgb(v: number): number {
  return v <= 0.0031308 ? v * 12.92 : 1.055 * Math.pow(v, 0.41666) - 0.055;
}

/** sRGB → linear transfer function, the inverse of {@link linearToSrgb} (used for sRGB textures). */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/**
 * `SRGB_ENCODE_TABLE[i]` is `linearToSrgb(i / SRGB_TABLE_SCALE)` for linear values in [0, 1]
 * (nearest lookup; max error ≈ 0.1/255). Values above 1 must take {@link linearToSrgb} directly,
 * because three.js does not clamp before encoding and fog may pull them back into range.
 */
export const SRGB_ENCODE_TABLE: Float32Array = (() => {
  const table = new Float32Array(SRGB_TABLE_SCALE + 1);
  for (let i = 0; i <= SRGB_TABLE_SCALE; i++) table[i] = linearToSrgb(i / SRGB_TABLE_SCALE);
  return table;
})();

/** `SRGB_DECODE_TABLE[b]` is the linear value of the 8-bit sRGB code `b`. */
export const SRGB_DECODE_TABLE: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) table[i] = srgbToLinear(i / 255);
  return table;
})();

/** Quantize an sRGB-encoded channel to a byte the way a UNORM8 framebuffer does (clamp, round to nearest). */
export function toByte(v: number): number {
  if (v <= 0) return 0;
  if (v >= 1) return 255;
  return (v * 255 + 0.5) | 0;
}
