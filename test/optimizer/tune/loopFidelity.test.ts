import { describe, expect, it } from "vitest";
import { loopFidelity, loopFidelityPoint, summarizeLoopFidelity } from "../../../index.ts";

describe("loopFidelity", () => {
  const run = (
    combination: number,
    predicted: "valid" | "invalid" | "uncertain",
    outcome: Parameters<typeof loopFidelityPoint>[0]["outcome"],
  ) => ({
    combination,
    role: "verification",
    predicted,
    outcome,
  });

  it("keeps the runs behind each real verdict (an application's passedSeeds, a verification's passedRuns)", () => {
    expect(loopFidelityPoint(run(1, "valid", { pass: false, hash: "a", detail: { runs: 172, passedSeeds: 159 } }))).toEqual({
      combination: 1,
      role: "verification",
      predicted: "valid",
      real: "fail",
      runs: 172,
      passedRuns: 159,
    });
    expect(loopFidelityPoint(run(2, "valid", { pass: true, hash: "b", detail: { runs: 57, passedRuns: 56, worlds: [] } }))).toMatchObject({
      runs: 57,
      passedRuns: 56,
    });
    expect(loopFidelityPoint(run(3, "invalid", { pass: false, hash: "c" }))).not.toHaveProperty("runs");
  });

  it("counts an uncertain real verdict as not a pass and leaves uncertain predictions out of the agreement", () => {
    const f = loopFidelity([
      run(1, "valid", { pass: true, hash: "a" }),
      run(2, "valid", { pass: false, uncertain: true, hash: "b" }),
      run(3, "invalid", { pass: false, hash: "c" }),
      run(4, "uncertain", { pass: true, hash: "d" }),
    ]);
    expect(f.confusion).toEqual({
      predictedPassRealPass: 1,
      predictedPassRealFail: 1,
      predictedFailRealPass: 0,
      predictedFailRealFail: 1,
      uncertain: 1,
    });
    expect(f.decided).toBe(3);
    expect(f.agreement).toBeCloseTo(2 / 3);
    // Points already judged (a tuning report's) summarize to the same.
    expect(summarizeLoopFidelity(f.points)).toEqual(f);
  });
});
