import { describe, expect, it } from "vitest";
import { fidelityConfusion, type Verdict } from "../../../index.ts";

const p = (predicted: Verdict, real: Verdict) => ({ predicted, real });

describe("fidelityConfusion", () => {
  it("counts each (prediction, real verdict) cell", () => {
    const c = fidelityConfusion([
      p("pass", "pass"),
      p("pass", "pass"),
      p("pass", "fail"),
      p("fail", "pass"),
      p("fail", "fail"),
      p("uncertain", "pass"),
    ]);
    expect(c).toEqual({ predictedPassRealPass: 2, predictedPassRealFail: 1, predictedFailRealPass: 1, predictedFailRealFail: 1, uncertain: 1 });
  });

  it("puts a real verdict left uncertain at the seed cap with the fails, so a predicted pass is never confirmed by it", () => {
    const c = fidelityConfusion([p("pass", "uncertain"), p("fail", "uncertain")]);
    expect(c.predictedPassRealFail).toBe(1);
    expect(c.predictedPassRealPass).toBe(0);
    expect(c.predictedFailRealFail).toBe(1);
  });

  it("is all zeros for no points", () => {
    expect(Object.values(fidelityConfusion([]))).toEqual([0, 0, 0, 0, 0]);
  });
});
