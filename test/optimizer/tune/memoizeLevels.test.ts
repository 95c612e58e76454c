import { describe, expect, it } from "vitest";
import { memoizeLevels, type ApproxLevel, type Approximator, type ModelSource } from "../../../index.ts";
import { tinyNet } from "../../fixtures/tuningFixtures.ts";

/** Yields its input model at every level, counting how often it was asked. */
class CountingApproximator implements Approximator {
  readonly name = "count";
  readonly nSteps = 3;
  calls = 0;
  async *levels(nn: ModelSource): AsyncIterable<ApproxLevel> {
    this.calls++;
    const model = "graph" in nn ? nn : nn.model;
    for (let level = 1; level <= this.nSteps; level++) yield { level, fraction: level / 10, model };
  }
}

const collect = async (a: Approximator, m: ModelSource) => {
  const out: ApproxLevel[] = [];
  for await (const l of a.levels(m)) out.push(l);
  return out;
};

describe("memoizeLevels", () => {
  it("computes each model's levels once and replays the same objects", async () => {
    const inner = new CountingApproximator();
    const memo = memoizeLevels(inner);
    const a = tinyNet(1);
    const b = tinyNet(2);
    const first = await collect(memo, a);
    const again = await collect(memo, { model: a });
    expect(inner.calls).toBe(1);
    expect(again).toEqual(first);
    expect(again[2]).toBe(first[2]);
    await collect(memo, b);
    expect(inner.calls).toBe(2);
    expect(memo.name).toBe("count");
    expect(memo.nSteps).toBe(3);
    expect(first.map((l) => l.level)).toEqual([1, 2, 3]);
  });
});
