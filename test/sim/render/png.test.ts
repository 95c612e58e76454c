import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { encodePng } from "../../../sim/render/png.ts";

describe("encodePng", () => {
  it("round-trips an RGB frame through PNG losslessly", async () => {
    const w = 7,
      h = 5;
    const rgb = new Uint8Array(w * h * 3).map((_, i) => (i * 37) % 256);
    const png = await encodePng(rgb, w, h);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([w, h, 3]);
    expect(Buffer.compare(data, Buffer.from(rgb))).toBe(0);
  });

  it("rejects a buffer of the wrong size", async () => {
    await expect(encodePng(new Uint8Array(10), 2, 2)).rejects.toThrow(/expected 12 bytes/);
  });
});
