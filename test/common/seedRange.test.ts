import { describe, expect, it } from "vitest";
import { formatSeeds, InputError, NameRegistry, seedRange } from "../../common/index.ts";

describe("seedRange", () => {
  it("counts K seeds from first, 0 by default", () => {
    expect(seedRange(5)).toEqual([0, 1, 2, 3, 4]);
    expect(seedRange(3, 10)).toEqual([10, 11, 12]);
    expect(seedRange(0)).toEqual([]);
  });

  it("rejects a count that is not a non-negative integer", () => {
    expect(() => seedRange(-1)).toThrow(RangeError);
    expect(() => seedRange(2.5)).toThrow(RangeError);
  });
});

describe("formatSeeds", () => {
  it("prints runs of three or more consecutive seeds as ranges, others as a list", () => {
    expect(formatSeeds(seedRange(114))).toBe("0–113");
    expect(formatSeeds([0, 1, 2, 3, 7, 9, 10, 20, 21, 22])).toBe("0–3, 7, 9, 10, 20–22");
    expect(formatSeeds([5])).toBe("5");
    expect(formatSeeds([])).toBe("");
  });
});

describe("NameRegistry", () => {
  const reg = new NameRegistry<number>("loss").register(
    { name: "l1", description: "", value: 1, aliases: ["abs"] },
    { name: "mse", description: "", value: 2 },
  );

  it("resolves names and aliases to one entry and lists canonical names only", () => {
    expect(reg.get("abs", "--loss")).toBe(1);
    expect(reg.canonical("abs", "--loss")).toBe("l1");
    expect(reg.names()).toEqual(["l1", "mse"]);
  });

  it("throws on an unknown name, listing the known ones, and on a name registered twice", () => {
    expect(() => reg.get("hinge", "--loss")).toThrow(InputError);
    expect(() => reg.get("hinge", "--loss")).toThrow('--loss: unknown loss "hinge"; expected one of l1, mse');
    expect(() =>
      new NameRegistry<number>("x").register({ name: "a", description: "", value: 1 }, { name: "b", description: "", value: 2, aliases: ["a"] }),
    ).toThrow(/registered twice/);
  });
});
