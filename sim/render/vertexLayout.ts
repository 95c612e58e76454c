/**
 * Layout of one post-transform vertex in the renderer's Float64Array vertex buffers
 * (the per-mesh vertex cache and the clipper's output share it, so the pixel pipeline
 * reads both the same way).
 */

/** Clip-space x, y, z, w (three.js/OpenGL conventions: visible when −w ≤ x, y, z ≤ w). */
export const V_CX = 0;
export const V_CY = 1;
export const V_CZ = 2;
export const V_CW = 3;
/**
 * Screen x, y snapped to the rasterizer's sub-pixel grid (integers, units of 1/SUBPIXEL pixel, origin
 * top-left, y down) and q = 1/w; valid only once the vertex is projected (inside the guard band).
 */
export const V_SX = 4;
export const V_SY = 5;
export const V_Q = 6;
/** Linear RGB for front-facing shading (diffuse × irradiance/π, or the unlit diffuse colour). */
export const V_R = 7;
/** Linear RGB for back-facing shading (normal negated), used by BackSide/DoubleSide materials. */
export const V_RB = 10;
/** Texture coordinates after the map's uv transform. */
export const V_U = 13;
export const V_V = 14;
/** Numbers per vertex. */
export const V_STRIDE = 15;

/**
 * Post-transform vertices, {@link V_STRIDE} numbers each. Single precision halves the memory
 * traffic of the vertex stage; snapped screen coordinates (< 2^24) stay exact.
 */
export type VertexBuffer = Float32Array;
