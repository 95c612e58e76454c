import * as THREE from "three";
import { SRGB_DECODE_TABLE } from "./color.ts";

const WRAP_REPEAT = 0;
const WRAP_CLAMP = 1;
const WRAP_MIRROR = 2;

const MIP_NONE = 0;
const MIP_NEAREST = 1;
const MIP_LINEAR = 2;

/**
 * A `THREE.DataTexture` decoded to linear RGBA float levels, sampled the way WebGL2 does:
 * nearest/bilinear per level, nearest/linear between mip levels, level of detail λ = log2(ρ)
 * from the caller's screen-space UV derivatives, and the GL spec's magnification/minification
 * switch. sRGB textures are decoded to linear before filtering and mip generation, as a
 * `SRGB8_ALPHA8` texture is on the GPU.
 *
 * Supported: `RGBAFormat` and (non-sRGB) `RGBFormat` with `UnsignedByteType` data; wrap modes
 * repeat / clamp-to-edge / mirrored-repeat; all six filters; `generateMipmaps` or user mipmaps.
 * Anything else throws when the texture is first used.
 */
export class SampledTexture {
  /** Level-0 width in texels. */
  readonly width: number;
  /** Level-0 height in texels. */
  readonly height: number;
  /** `texture.version` this was built from; a higher version triggers a rebuild. */
  readonly version: number;
  // Levels while building; packed into `texels` (RGBA float, level after level) for sampling.
  private readonly levels: Float32Array[] = [];
  private readonly levelWidth: number[] = [];
  private readonly levelHeight: number[] = [];
  /** Linear RGBA texels of every level, level after level (level `l` starts at `offsets[l]`). */
  readonly texels: Float32Array;
  /** Start of each level in {@link texels} (floats). */
  readonly offsets: Int32Array;
  /** Width of each level in texels. */
  readonly widths: Int32Array;
  /** Height of each level in texels. */
  readonly heights: Int32Array;
  /**
   * The common tiled-ground case that the pixel pipeline samples inline (no call per pixel):
   * `LinearMipmapLinear` minification, `Linear` magnification, repeat wrapping with power-of-two
   * sizes on every level, and opaque texels. Its result equals {@link sample}'s bit for bit.
   */
  readonly trilinearRepeat: boolean;
  /** |u|, |v| below which {@link trilinearRepeat} sampling may wrap with bit masks (int32-safe texel indices). */
  readonly maskUvLimit: number;
  /** Repeat wrapping with power-of-two sizes on every level: wrap with a bit mask. */
  private readonly maskS: boolean;
  private readonly maskT: boolean;
  private readonly wrapS: number;
  private readonly wrapT: number;
  private readonly magLinear: boolean;
  private readonly minLinear: boolean;
  private readonly mipMode: number;
  /** Every texel has alpha 1, so sampling can skip the alpha channel. */
  private readonly opaque: boolean;
  /** λ at or below which the magnification filter applies (GL spec's `c`). */
  private readonly magThreshold: number;

  constructor(texture: THREE.Texture, where: string) {
    const fail = (what: string): Error => new Error(`SoftwareRenderer: ${where}: texture "${texture.name || texture.uuid}" ${what}`);
    if (!(texture as THREE.DataTexture).isDataTexture) throw fail("is not a THREE.DataTexture (only DataTexture maps are supported)");
    const image = texture.image as { data?: ArrayLike<number>; width: number; height: number } | null;
    if (!image || !image.data) throw fail("has no image data");
    if (texture.type !== THREE.UnsignedByteType || !(image!.data instanceof Uint8Array || image!.data instanceof Uint8ClampedArray)) {
      throw fail("must hold Uint8 data with type UnsignedByteType");
    }
    const srgb = texture.colorSpace === THREE.SRGBColorSpace;
    let channels = 4;
    if (texture.format === THREE.RGBFormat) {
      channels = 3;
      // WebGL2 uploads RGB8 without sRGB decoding; refuse rather than guess what the author meant.
      if (srgb) throw fail("uses RGBFormat with SRGBColorSpace (unsupported: use RGBAFormat for sRGB textures)");
    } else if (texture.format !== THREE.RGBAFormat) {
      throw fail(`has format ${texture.format}; only RGBAFormat and RGBFormat are supported`);
    }
    if (texture.anisotropy > 1) throw fail(`has anisotropy ${texture.anisotropy}; anisotropic filtering is not supported`);
    if (texture.channel !== 0) throw fail(`uses uv channel ${texture.channel}; only channel 0 is supported`);
    if (texture.flipY) throw fail("has flipY = true, which is not supported (store rows with v = 0 first)");

    this.width = image!.width;
    this.height = image!.height;
    this.version = texture.version;
    const rowBytes = this.width * channels;
    if (rowBytes % texture.unpackAlignment !== 0)
      throw fail(`rows of ${rowBytes} bytes are not a multiple of unpackAlignment ${texture.unpackAlignment}`);
    if (image!.data!.length < rowBytes * this.height) throw fail(`data has ${image!.data!.length} bytes, needs ${rowBytes * this.height}`);

    this.wrapS = wrapCode(texture.wrapS, () => fail(`has unsupported wrapS ${texture.wrapS}`));
    this.wrapT = wrapCode(texture.wrapT, () => fail(`has unsupported wrapT ${texture.wrapT}`));
    this.magLinear = texture.magFilter === THREE.LinearFilter;
    if (!this.magLinear && texture.magFilter !== THREE.NearestFilter) throw fail(`has unsupported magFilter ${texture.magFilter}`);
    switch (texture.minFilter) {
      case THREE.NearestFilter:
        this.minLinear = false;
        this.mipMode = MIP_NONE;
        break;
      case THREE.LinearFilter:
        this.minLinear = true;
        this.mipMode = MIP_NONE;
        break;
      case THREE.NearestMipmapNearestFilter:
        this.minLinear = false;
        this.mipMode = MIP_NEAREST;
        break;
      case THREE.LinearMipmapNearestFilter:
        this.minLinear = true;
        this.mipMode = MIP_NEAREST;
        break;
      case THREE.NearestMipmapLinearFilter:
        this.minLinear = false;
        this.mipMode = MIP_LINEAR;
        break;
      case THREE.LinearMipmapLinearFilter:
        this.minLinear = true;
        this.mipMode = MIP_LINEAR;
        break;
      default:
        throw fail(`has unsupported minFilter ${texture.minFilter}`);
    }
    this.magThreshold = this.magLinear && !this.minLinear && this.mipMode !== MIP_NONE ? 0.5 : 0;

    this.levels.push(decodeLevel(image!.data!, this.width, this.height, channels, srgb));
    let opaque = true;
    const level0 = this.levels[0];
    for (let i = 3; i < level0.length && opaque; i += 4) opaque = level0[i] === 1;
    this.levelWidth.push(this.width);
    this.levelHeight.push(this.height);
    if (this.mipMode !== MIP_NONE) {
      const userMips = texture.mipmaps as unknown as { data: ArrayLike<number>; width: number; height: number }[];
      if (texture.generateMipmaps) {
        let w = this.width,
          h = this.height;
        while (w > 1 || h > 1) {
          const nw = Math.max(1, w >> 1),
            nh = Math.max(1, h >> 1);
          this.levels.push(downsample(this.levels[this.levels.length - 1], w, h, nw, nh));
          this.levelWidth.push(nw);
          this.levelHeight.push(nh);
          w = nw;
          h = nh;
        }
      } else if (userMips && userMips.length > 1) {
        for (let i = 1; i < userMips.length; i++) {
          const m = userMips[i];
          this.levels.push(decodeLevel(m.data, m.width, m.height, channels, srgb));
          this.levelWidth.push(m.width);
          this.levelHeight.push(m.height);
        }
      } else {
        // WebGL treats this texture as incomplete and samples black; that is never what the author wants.
        throw fail("has a mipmap minFilter but generateMipmaps is false and no mipmaps are given");
      }
      for (let l = 1; l < this.levels.length && opaque; l++) {
        const level = this.levels[l];
        for (let i = 3; i < level.length && opaque; i += 4) opaque = level[i] === 1;
      }
    }
    this.opaque = opaque;
    const n = this.levels.length;
    this.offsets = new Int32Array(n);
    this.widths = Int32Array.from(this.levelWidth);
    this.heights = Int32Array.from(this.levelHeight);
    let total = 0;
    for (let l = 0; l < n; l++) {
      this.offsets[l] = total;
      total += this.levels[l].length;
    }
    this.texels = new Float32Array(total);
    for (let l = 0; l < n; l++) this.texels.set(this.levels[l], this.offsets[l]);
    const pow2 = (xs: Int32Array) => xs.every((x) => (x & (x - 1)) === 0);
    this.maskS = this.wrapS === WRAP_REPEAT && pow2(this.widths);
    this.maskT = this.wrapT === WRAP_REPEAT && pow2(this.heights);
    this.trilinearRepeat = this.maskS && this.maskT && this.opaque && this.magLinear && this.minLinear && this.mipMode === MIP_LINEAR;
    this.maskUvLimit = 0x20000000 / Math.max(this.width, this.height);
  }

  /**
   * Sample at texture coordinates (u, v) = `io[0]`, `io[1]` (after the uv transform; v = 0 is the
   * first data row) with level of detail `io[2]` = log2(texels per pixel); writes linear RGBA to
   * `io[3..6]` (`io[7]` is scratch). Parameters travel in the array so the per-pixel call passes no
   * boxed doubles.
   */
  sample(io: Float64Array): void {
    const lod = io[2];
    io[3] = io[4] = io[5] = 0;
    io[6] = this.opaque ? 1 : 0;
    io[7] = 1;
    if (lod <= this.magThreshold || this.mipMode === MIP_NONE) {
      this.accumulate(0, lod <= this.magThreshold ? this.magLinear : this.minLinear, io);
      return;
    }
    const maxLevel = this.levels.length - 1;
    if (this.mipMode === MIP_NEAREST) {
      let d = Math.ceil(lod + 0.5) - 1;
      if (d < 0) d = 0;
      else if (d > maxLevel) d = maxLevel;
      this.accumulate(d, this.minLinear, io);
      return;
    }
    if (lod >= maxLevel) {
      this.accumulate(maxLevel, this.minLinear, io);
      return;
    }
    const d1 = Math.floor(lod);
    const f = lod - d1;
    io[7] = 1 - f;
    this.accumulate(d1, this.minLinear, io);
    io[7] = f;
    this.accumulate(d1 + 1, this.minLinear, io);
  }

  /** Add `io[7]` × the (nearest or bilinear) sample of `level` at (`io[0]`, `io[1]`) to `io[3..6]`. */
  private accumulate(level: number, linear: boolean, io: Float64Array): void {
    const data = this.texels;
    const base = this.offsets[level];
    const w = this.widths[level];
    const h = this.heights[level];
    const u = io[0],
      v = io[1],
      weight = io[7];
    if (!linear) {
      const i = wrapIndex(Math.floor(u * w), w, this.wrapS);
      const j = wrapIndex(Math.floor(v * h), h, this.wrapT);
      const o = base + (j * w + i) * 4;
      io[3] += weight * data[o];
      io[4] += weight * data[o + 1];
      io[5] += weight * data[o + 2];
      if (!this.opaque) io[6] += weight * data[o + 3];
      return;
    }
    const x = u * w - 0.5;
    const y = v * h - 0.5;
    const x0f = Math.floor(x);
    const y0f = Math.floor(y);
    const fx = x - x0f;
    const fy = y - y0f;
    let i0: number, i1: number, r0: number, r1: number;
    if (this.maskS && x0f > -0x40000000 && x0f < 0x40000000) {
      // Power-of-two repeat: a mask instead of a modulo (the common case for tiled ground).
      i0 = x0f & (w - 1);
      i1 = (i0 + 1) & (w - 1);
    } else {
      i0 = wrapIndex(x0f, w, this.wrapS);
      i1 = wrapIndex(x0f + 1, w, this.wrapS);
    }
    if (this.maskT && y0f > -0x40000000 && y0f < 0x40000000) {
      r0 = (y0f & (h - 1)) * w;
      r1 = (((y0f & (h - 1)) + 1) & (h - 1)) * w;
    } else {
      r0 = wrapIndex(y0f, h, this.wrapT) * w;
      r1 = wrapIndex(y0f + 1, h, this.wrapT) * w;
    }
    const gx = 1 - fx,
      gy = 1 - fy;
    const w00 = weight * gx * gy;
    const w10 = weight * fx * gy;
    const w01 = weight * gx * fy;
    const w11 = weight * fx * fy;
    const a = base + (r0 + i0) * 4,
      b = base + (r0 + i1) * 4,
      c = base + (r1 + i0) * 4,
      d = base + (r1 + i1) * 4;
    io[3] += w00 * data[a] + w10 * data[b] + w01 * data[c] + w11 * data[d];
    io[4] += w00 * data[a + 1] + w10 * data[b + 1] + w01 * data[c + 1] + w11 * data[d + 1];
    io[5] += w00 * data[a + 2] + w10 * data[b + 2] + w01 * data[c + 2] + w11 * data[d + 2];
    if (!this.opaque) io[6] += w00 * data[a + 3] + w10 * data[b + 3] + w01 * data[c + 3] + w11 * data[d + 3];
  }
}

const cache = new WeakMap<THREE.Texture, SampledTexture>();

/**
 * The {@link SampledTexture} for `texture`, built on first use and rebuilt when
 * `texture.version` changes (i.e. after `needsUpdate = true`). `owner` is named in errors.
 */
export function sampledTextureFor(texture: THREE.Texture, owner: THREE.Object3D): SampledTexture {
  let sampled = cache.get(texture);
  if (sampled === undefined || sampled.version !== texture.version) {
    sampled = new SampledTexture(texture, `${owner.type} "${owner.name || owner.uuid}"`);
    cache.set(texture, sampled);
  }
  return sampled;
}

function wrapCode(mode: THREE.Wrapping, fail: () => Error): number {
  if (mode === THREE.RepeatWrapping) return WRAP_REPEAT;
  if (mode === THREE.ClampToEdgeWrapping) return WRAP_CLAMP;
  if (mode === THREE.MirroredRepeatWrapping) return WRAP_MIRROR;
  throw fail();
}

function wrapIndex(i: number, n: number, mode: number): number {
  if (mode === WRAP_REPEAT) {
    i %= n;
    return i < 0 ? i + n : i;
  }
  if (mode === WRAP_CLAMP) return i < 0 ? 0 : i >= n ? n - 1 : i;
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

function decodeLevel(data: ArrayLike<number>, w: number, h: number, channels: number, srgb: boolean): Float32Array {
  const out = new Float32Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    for (let c = 0; c < 3; c++) {
      const b = data[p * channels + c];
      out[p * 4 + c] = srgb ? SRGB_DECODE_TABLE[b] : b / 255;
    }
    out[p * 4 + 3] = channels === 4 ? data[p * channels + 3] / 255 : 1;
  }
  return out;
}

/** Box-filter one mip level into the next (2×2 average; odd edges clamp), in linear space. */
function downsample(src: Float32Array, w: number, h: number, nw: number, nh: number): Float32Array {
  const out = new Float32Array(nw * nh * 4);
  for (let y = 0; y < nh; y++) {
    const y0 = Math.min(2 * y, h - 1),
      y1 = Math.min(2 * y + 1, h - 1);
    for (let x = 0; x < nw; x++) {
      const x0 = Math.min(2 * x, w - 1),
        x1 = Math.min(2 * x + 1, w - 1);
      for (let c = 0; c < 4; c++) {
        out[(y * nw + x) * 4 + c] =
          0.25 * (src[(y0 * w + x0) * 4 + c] + src[(y0 * w + x1) * 4 + c] + src[(y1 * w + x0) * 4 + c] + src[(y1 * w + x1) * 4 + c]);
      }
    }
  }
  return out;
}
