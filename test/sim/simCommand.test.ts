import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { register } from "../../scripts/commands/sim.ts";

async function cli(args: string[]): Promise<void> {
  const program = new Command("approxcaliper").exitOverride();
  register(program);
  await program.parseAsync(["node", "approxcaliper", "sim", ...args]);
}

describe("approxcaliper sim", () => {
  it("drives open-loop and writes summary, trajectory and frames", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-cli-"));
    const err: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    await cli([
      "--world",
      "cropfield-straight",
      "--seconds",
      "2",
      "--seed",
      "3",
      "--out",
      out,
      "--frames",
      "--fps",
      "5",
      "--width",
      "32",
      "--height",
      "24",
    ]).finally(() => stderr.mockRestore());
    // With --frames, progress even for a short run; off a terminal as plain lines, none repeated.
    expect(err.join("")).toMatch(
      /^sim \[0\/2 s simulated\] ETA …\n(sim \[1\/2 s simulated\] ETA \S+\n)?sim \[2\/2 s simulated\] in [\d.]+ s\n$/,
    );
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary).toMatchObject({
      world: "cropfield-straight",
      seed: 3,
      robot: "terrasentia",
      simSeconds: 2,
      collisions: 0,
      collisionEvents: [],
    });
    expect(summary.distanceMeters).toBeGreaterThan(0.5);
    expect(summary.wallSeconds).toBeGreaterThan(0);
    const lines = readFileSync(join(out, "trajectory.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(11);
    expect(lines[10].t).toBe(2);
    expect(lines[0].command).toEqual({ v: 0.5, omega: 0 });
    expect(readdirSync(join(out, "frames"))).toHaveLength(11);
    expect(readdirSync(join(out, "frames"))[0]).toBe("000000.png");
  });

  it("follows a command script and picks the GEM on the track", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-cli-"));
    const script = join(out, "cmds.jsonl");
    writeFileSync(script, '{"t":0,"speed":3,"steer":0}\n{"t":1,"speed":3,"steer":0.3}\n');
    await cli(["--world", "gem-track", "--seconds", "2", "--drive", script, "--out", out]);
    const lines = readFileSync(join(out, "trajectory.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[5].command).toEqual({ speed: 3, steer: 0 });
    expect(lines[15].command).toEqual({ speed: 3, steer: 0.3 });
    expect(lines[20].pose.yaw).toBeGreaterThan(0.05);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).robot).toBe("gem");
  });

  it("names the bad option or script line", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-cli-"));
    await expect(cli(["--drive", "arc:fast", "--out", out])).rejects.toThrow(/--drive: arc:<yaw-rate> needs a number/);
    await expect(cli(["--seconds", "-1", "--out", out])).rejects.toThrow(/--seconds: expected a number in \[0, 1000000\], got "-1"/);
    await expect(cli(["--robot", "tractor", "--out", out])).rejects.toThrow(/--robot: expected one of terrasentia, gem, got "tractor"/);
    const script = join(out, "bad.jsonl");
    writeFileSync(script, '{"t":0,"v":0.5,"omega":0}\n{"t":1,"v":"x","omega":0}\n');
    await expect(cli(["--drive", script, "--out", out])).rejects.toThrow(/bad\.jsonl:2: v: expected a number/);
  });
});
