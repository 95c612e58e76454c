import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../fixtures/onnxFixtures.ts";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";

const run = promisify(execFile);

describe("approxcaliper inspect", () => {
  it("prints the layer table and writes the JSON summary", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "inspect-")), "s.json");
    const { stdout } = await run(process.execPath, [...CLI_FROM_SOURCES, "inspect", fixturePath("squeezenet_op17"), "--json", out]);
    expect(stdout).toMatch(/Conv\s+\[1×16×15×15\]/);
    expect(stdout).toMatch(/total FLOPs/);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(json).sort()).toEqual(["layers", "otherFlops", "totalFlops", "totalParams"]);
    expect(json.totalFlops).toBeGreaterThan(0);
    expect(json.layers[0]).toMatchObject({ opType: "Conv", outputShapes: [[1, 16, 15, 15]], flops: 2 * 16 * 15 * 15 * 27 });
  });

  it("--latency with --compare measures both models interleaved and reports median, spread and speed-up", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "inspect-")), "s.json");
    const model = fixturePath("squeezenet_op17");
    const { stdout } = await run(process.execPath, [...CLI_FROM_SOURCES, "inspect", model, "--compare", model, "--rounds", "4", "--json", out]);
    expect(stdout).toMatch(/latency \(batch 1, 1 thread, interleaved\): [\d.]+ ms \(p10–p90 of 4 block medians: [\d.]+–[\d.]+\)/);
    expect(stdout).toMatch(/is [\d.]+× as fast \(p10–p90 [\d.]+–[\d.]+\)/);
    const { latency } = JSON.parse(readFileSync(out, "utf8"));
    expect(latency.runs).toBe(80);
    expect(latency.p10Ms).toBeLessThanOrEqual(latency.p90Ms);
    expect(latency.compare.speedup.median).toBeGreaterThan(0);
  });

  it("fails with a one-line error naming a malformed file", async () => {
    const bad = join(mkdtempSync(join(tmpdir(), "inspect-")), "empty.onnx");
    (await import("node:fs")).writeFileSync(bad, "");
    const err = await run(process.execPath, [...CLI_FROM_SOURCES, "inspect", bad]).catch((e: { stderr: string; code: number }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr.trim()).toBe(`approxcaliper: ${bad}: empty file, not an ONNX model`);
  });
});
