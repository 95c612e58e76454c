import { writeFile } from "node:fs/promises";
import sharp from "sharp";

/**
 * Encode a row-major H×W×3 RGB8 image (as returned by `SoftwareRenderer.render`) as PNG bytes.
 * @example await writeFile("frame.png", await encodePng(pixels, 160, 120));
 */
export async function encodePng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (rgb.length !== width * height * 3) {
    throw new Error(`encodePng: expected ${width * height * 3} bytes for ${width}×${height} RGB, got ${rgb.length}`);
  }
  return sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Write a row-major H×W×3 RGB8 image to `path` as PNG. */
export async function writePng(path: string, rgb: Uint8Array, width: number, height: number): Promise<void> {
  await writeFile(path, await encodePng(rgb, width, height));
}
