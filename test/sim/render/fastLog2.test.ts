import { describe, expect, it } from "vitest";
import { fastLog2 } from "../../../sim/render/fastLog2.ts";

describe("fastLog2", () => {
  it("agrees with Math.log2 to 2e-5 across many magnitudes", () => {
    let worst = 0;
    for (let e = -40; e <= 40; e++) {
      for (let k = 0; k < 97; k++) {
        const x = Math.pow(2, e) * (1 + k / 97);
        worst = Math.max(worst, Math.abs(fastLog2(x) - Math.log2(x)));
      }
    }
    expect(worst).toBeLessThan(2e-5);
  });

  it("handles zero, infinity, NaN and subnormals", () => {
    expect(fastLog2(0)).toBe(-Infinity);
    expect(fastLog2(Infinity)).toBe(Infinity);
    expect(fastLog2(NaN)).toBeNaN();
    expect(fastLog2(5e-324)).toBeCloseTo(Math.log2(5e-324), 9);
  });
});
