/**
 * Property-based robustness: whatever a user hands us (world presets, run and
 * tuning configs, ONNX files), either it is accepted and then builds/loads,
 * or it is refused with an InputError naming the field — never another
 * exception. Runs are few and inputs small so the suite stays fast; the
 * schema's extremes are covered by the size arbitraries' bias.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../common/index.ts";
import { loadModel } from "../../optimizer/runtime/loadModel.ts";
import { pruneChannels } from "../../optimizer/approx/pruneChannels.ts";
import { factorizeModel } from "../../optimizer/approx/factorizeModel.ts";
import { GraphBuilder } from "../../optimizer/onnx/GraphBuilder.ts";
import { decodeModel, encodeModel } from "../../optimizer/onnx/serialize.ts";
import { parseRunConfig, parseTuningConfig } from "../../pipelines/index.ts";
import { buildWorld, parseWorldPreset, type WorldPreset } from "../../worlds/index.ts";

/** Runs `f`; an InputError is a refusal, anything else thrown fails the property. */
function acceptedOrInputError<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

async function acceptedOrInputErrorAsync<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
}

/** Values of every JSON kind, out of range, of the wrong type, or plausible. */
const anyValue = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer({ min: -5, max: 50 }),
  fc.constantFrom(0, 1, 0.5, -1, 1e9, Number.NaN, "left", "right", "straight", "arc", "#123456", null, true),
  fc.string({ maxLength: 6 }),
  fc.array(fc.double({ min: -100, max: 2000, noNaN: true }), { maxLength: 3 }),
);

/** Mostly inside [lo, hi], sometimes just outside it. */
const near = (lo: number, hi: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: lo, max: hi, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: lo - 1, max: hi + 1, noNaN: true }) },
  );

/** Length-like numbers biased toward small worlds, with the schema's extremes now and then. */
const size = (lo: number, hi: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: lo, max: Math.min(hi, lo + 40), noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: lo, max: hi, noNaN: true }) },
  );

const cropField = fc.record(
  {
    kind: fc.constant("cropfield"),
    rows: fc.record(
      {
        count: fc.integer({ min: 1, max: 41 }),
        spacing: near(0.4, 2),
        length: size(5, 1000),
        curve: fc.option(fc.record({ radius: size(20, 10_000), turn: fc.constantFrom("left", "right"), straightBefore: size(0, 10) }), {
          nil: undefined,
          freq: 3,
        }),
      },
      { requiredKeys: [] },
    ),
    plants: fc.record(
      { spacing: near(0.08, 1), leaves: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 6, max: 13 })) },
      { requiredKeys: [] },
    ),
    weeds: fc.record({ perMeter: near(0, 20) }, { requiredKeys: [] }),
    startOffset: size(-5, 1001),
    extra: anyValue,
  },
  { requiredKeys: ["kind"] },
);

const track = fc.record(
  {
    kind: fc.constant("track"),
    segments: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constant("straight"), length: size(0.5, 10_000) }) },
        { weight: 4, arbitrary: fc.record({ kind: fc.constant("arc"), radius: size(9, 10_000), angleDeg: near(-360, 360) }) },
        { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("kind", "length", "radius", "angleDeg"), anyValue) },
      ),
      { maxLength: 8 },
    ),
    laneWidth: near(2.5, 6),
    trees: fc.integer({ min: -1, max: 501 }),
    startOffset: size(0, 10_001),
  },
  { requiredKeys: ["kind"] },
);

/** Drops the key `extra` most of the time so that valid presets are common. */
const preset = fc.tuple(fc.oneof(cropField, track), fc.integer({ min: 0, max: 9 })).map(([p, r]) => {
  const o = { ...(p as Record<string, unknown>) };
  if (r > 0) delete o.extra;
  return o;
});

describe("robustness properties", () => {
  it("world presets: accepted ones build; refused ones give an InputError naming the field", () => {
    let built = 0;
    fc.assert(
      fc.property(preset, fc.integer({ min: 0, max: 1000 }), (raw, seed) => {
        const p = acceptedOrInputError(() => parseWorldPreset(raw, "w.json")) as WorldPreset | undefined;
        if (!p) return;
        const w = buildWorld(p, seed);
        expect(w.obstacles.length).toBeGreaterThan(0);
        built++;
      }),
      { numRuns: 40, seed: 11 },
    );
    expect(built).toBeGreaterThan(8);
  }, 150_000);

  it("refusals of world presets always name the file and a field", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("kind", "rows", "segments", "plants", "startOffset", "laneWidth", "environment", "x"), anyValue),
        (raw) => {
          try {
            parseWorldPreset(raw, "w.json");
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            expect((e as InputError).where.startsWith("w.json: ")).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });

  it("run and tuning configs: parsed or refused with an InputError, never another exception", () => {
    const runConfig = fc.dictionary(
      fc.constantFrom("pipeline", "world", "perception", "fps", "latency", "maxTime", "pipline"),
      fc.oneof(
        anyValue,
        fc.constantFrom("cropfollow", "gem", "cropfield-straight", "gem-track"),
        fc.record({ kind: fc.constantFrom("oracle", "injected", "onnx"), heading: fc.record({ std: anyValue }) }, { requiredKeys: [] }),
      ),
    );
    const tuning = fc.dictionary(
      fc.constantFrom("models", "dataset", "approximators", "seeds", "objective", "metrics", "knobs", "calibration", "modles"),
      fc.oneof(anyValue, fc.dictionary(fc.string({ maxLength: 4 }), anyValue, { maxKeys: 3 })),
    );
    fc.assert(
      fc.property(runConfig, tuning, (r, t) => {
        acceptedOrInputError(() => parseRunConfig(r));
        acceptedOrInputError(() => parseTuningConfig(t, "/nonexistent/c.json"));
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  /** A small conv net with a residual add, a concat and a Gemm head: the structures the pruner couples. */
  function smallNet() {
    const b = new GraphBuilder({ seed: 3 });
    const x = b.input("input", [1, 3, 12, 12]);
    const a = b.relu(b.conv(x, { outChannels: 6, kernel: 3, pad: 1, name: "a" }));
    const c = b.conv(a, { outChannels: 6, kernel: 3, pad: 1, name: "c" });
    const s = b.concat([b.relu(b.add(a, c)), b.conv(a, { outChannels: 4, kernel: 1, name: "d" })]);
    b.output(b.gemm(b.flatten(b.globalAveragePool(s)), { outFeatures: 3, name: "fc" }));
    return b.build();
  }

  const edit = fc.oneof(
    fc.constant({ kind: "none" as const }),
    fc.constant({ kind: "none" as const }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant("flip" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant("dropNode" as const), i: fc.nat() }),
    fc.record({
      kind: fc.constant("rewire" as const),
      i: fc.nat(),
      port: fc.nat({ max: 2 }),
      to: fc.constantFrom("", "missing", "input", "a.weight", "c.bias"),
    }),
    fc.record({ kind: fc.constant("dims" as const), i: fc.nat(), dims: fc.array(fc.integer({ min: -1, max: 9 }), { maxLength: 4 }) }),
    fc.record({
      kind: fc.constant("attr" as const),
      i: fc.nat(),
      name: fc.constantFrom("group", "pads", "strides", "axis", "kernel_shape"),
      value: fc.oneof(fc.integer({ min: -2, max: 7 }), fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 4 })),
    }),
  );

  it("ONNX graph edits: an accepted file loads in onnxruntime and prunes/factorizes; a refused one gives an InputError", async () => {
    let loaded = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        const model = smallNet();
        let bytes: Uint8Array | undefined;
        for (const e of edits) {
          const g = model.graph;
          if (e.kind === "dropNode" && g.nodes.length > 0) g.nodes.splice(e.i % g.nodes.length, 1);
          else if (e.kind === "rewire" && g.nodes.length > 0) {
            const n = g.nodes[e.i % g.nodes.length];
            if (e.port < n.inputs.length) n.inputs[e.port] = e.to;
          } else if (e.kind === "dims") {
            const inits = [...g.initializers.values()];
            if (inits.length > 0) inits[e.i % inits.length].dims = e.dims;
          } else if (e.kind === "attr" && g.nodes.length > 0) g.nodes[e.i % g.nodes.length].attributes[e.name] = e.value;
        }
        const byteEdits = edits.filter((e) => e.kind === "truncate" || e.kind === "flip");
        const encoded = acceptedOrInputError(() => encodeModel(model));
        if (!encoded) return;
        bytes = encoded.slice();
        for (const e of byteEdits) {
          if (e.kind === "truncate") bytes = bytes.subarray(0, Math.floor(e.at * bytes.length));
          else if (e.kind === "flip" && bytes.length > 0) bytes[Math.floor(e.at * (bytes.length - 1))] ^= e.xor;
        }
        const decoded = acceptedOrInputError(() => decodeModel(bytes!, "edited.onnx"));
        if (!decoded) return;
        const nn = await acceptedOrInputErrorAsync(() => loadModel(decoded, { where: "edited.onnx" }));
        if (!nn) return;
        await nn.dispose();
        loaded++;
        acceptedOrInputError(() => pruneChannels(decoded, 0.5));
        acceptedOrInputError(() => factorizeModel(decoded, 0.5));
      }),
      { numRuns: 120, seed: 14 },
    );
    expect(loaded).toBeGreaterThan(15);
  }, 120_000);
});
