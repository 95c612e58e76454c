import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InputError, parseInput } from "../../common/index.ts";

const Perception = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("injected"), heading: z.number().optional(), distance: z.number().optional() }),
  z.strictObject({ kind: z.literal("onnx"), model: z.string(), distanceModel: z.string() }),
]);
const Run = z.strictObject({ perception: Perception });

const messageOf = (raw: unknown): string => {
  try {
    parseInput(Run, raw, "run.json");
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("parsed");
};

describe("parseInput's unknown keys", () => {
  it("suggests the closest key of the alternative the input's kind selects", () => {
    expect(messageOf({ perception: { kind: "onnx", modle: "a.onnx", distanceModel: "b.onnx" } })).toBe(
      'run.json: perception: unknown key "modle" (did you mean "model"?)',
    );
  });

  it("does not offer a key of another kind as the correction of itself", () => {
    const m = messageOf({ perception: { kind: "onnx", heading: 1, model: "a.onnx", distanceModel: "b.onnx" } });
    expect(m).toBe('run.json: perception: unknown key "heading" (known keys: kind, model, distanceModel)');
  });
});
