import { Color, DataTexture, LinearMipmapLinearFilter, LinearFilter, RepeatWrapping, RGBAFormat, SRGBColorSpace } from "three";
import type { Random } from "../../common/index.ts";

/**
 * A tileable RGBA texture of `size`×`size` texels around `base` (sRGB hex):
 * per-texel noise plus darker and lighter blobs (soil clods, asphalt patches).
 * Wraps with `RepeatWrapping`; set `repeat` or scale UVs to choose metres per tile.
 * @param contrast relative brightness spread of the noise (0..1).
 */
export function noiseTexture(base: string, size: number, rng: Random, contrast: number, blobs: number): DataTexture {
  const c = new Color(base);
  // Texture data is in sRGB bytes; Color stores linear, so convert back for the byte values.
  const srgb = { r: 0, g: 0, b: 0 };
  c.getRGB(srgb, SRGBColorSpace);
  const shade = new Float32Array(size * size).fill(1);
  for (let b = 0; b < blobs; b++) {
    const cx = rng.uniform(0, size);
    const cy = rng.uniform(0, size);
    const r = rng.uniform(size * 0.02, size * 0.08);
    const amp = rng.uniform(-contrast, contrast * 0.6);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        // Toroidal distance keeps the texture tileable.
        let dx = Math.abs(x - cx);
        let dy = Math.abs(y - cy);
        dx = Math.min(dx, size - dx);
        dy = Math.min(dy, size - dy);
        const d2 = (dx * dx + dy * dy) / (r * r);
        if (d2 < 4) shade[y * size + x] += amp * Math.exp(-d2);
      }
    }
  }
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const s = shade[i] * (1 + rng.uniform(-contrast, contrast) * 0.5);
    data[4 * i] = byte(srgb.r * s);
    data[4 * i + 1] = byte(srgb.g * s);
    data[4 * i + 2] = byte(srgb.b * s);
    data[4 * i + 3] = 255;
  }
  const tex = new DataTexture(data, size, size, RGBAFormat);
  tex.colorSpace = SRGBColorSpace;
  tex.wrapS = RepeatWrapping;
  tex.wrapT = RepeatWrapping;
  tex.magFilter = LinearFilter;
  tex.minFilter = LinearMipmapLinearFilter;
  tex.generateMipmaps = true;
  tex.needsUpdate = true;
  return tex;
}

function byte(v: number): number {
  const b = Math.round(v * 255);
  return b < 0 ? 0 : b > 255 ? 255 : b;
}
