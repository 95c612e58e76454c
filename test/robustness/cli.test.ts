/**
 * Bad input through the real CLI, one row per class: every refusal is exit 1
 * with one line naming the file, field or flag at fault (no stack trace), and
 * no output folder is left behind. Rows run in parallel.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../common/index.ts";
import { register as registerRun } from "../../scripts/commands/run.ts";
import { CLI_FROM_SOURCES } from "../fixtures/cliFromSources.ts";
import { runCommand } from "../fixtures/runCommand.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "robust-cli-"));
const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 900000)"], { stdio: "ignore" });
afterAll(() => {
  sleeper.kill();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI_FROM_SOURCES, ...args], { timeout: 150_000, cwd: ROOT }, (err, _stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr });
    });
  });
}

const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe("CLI bad-input classes", () => {
  it("each class gets exit 1 and one line naming what is wrong, and leaves no output folder", async () => {
    const plainFile = file("plain.txt", "x");
    const locked = join(dir, "locked");
    mkdirSync(locked);
    writeFileSync(
      join(locked, LOCK_FILE),
      JSON.stringify({ pid: sleeper.pid, host: hostname(), command: "calibrate", since: "2026-01-01T00:00:00Z" }),
    );
    const empty = file("empty.onnx", "");
    const garbage = file(
      "garbage.onnx",
      Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256),
    );
    const beyond = file("beyond.json", JSON.stringify({ kind: "cropfield", rows: { length: 20 }, startOffset: 50 }));
    const circles = file(
      "circles.json",
      JSON.stringify({ kind: "track", segments: Array.from({ length: 200 }, () => ({ kind: "arc", radius: 10000, angleDeg: 360 })) }),
    );
    const typo = file("typo.json", JSON.stringify({ kind: "cropfield", rows: { lenght: 20 } }));
    const out = (i: number) => join(dir, `out-${i}`);
    // [class, args (an --out is added unless given), expected stderr line, the output folder to check]
    const rows: [string, (o: string) => string[], RegExp][] = [
      [
        "files: empty model",
        (o) => ["approx", empty, "--method", "prune", "--amount", "0.5", "--out", join(o, "m.onnx")],
        /^approxcaliper: .*empty\.onnx: .*empty/,
      ],
      [
        "files: garbage model",
        (o) => ["approx", garbage, "--method", "prune", "--amount", "0.5", "--out", join(o, "m.onnx")],
        /^approxcaliper: .*garbage\.onnx: /,
      ],
      [
        "files: empty model in the loop",
        (o) => ["run", "--pipeline", "cropfollow", "--perception", "onnx", "--model", empty, "--seeds", "1", "--workers", "0", "--out", o],
        /^approxcaliper: .*empty\.onnx: empty file, not an ONNX model$/,
      ],
      [
        "shapes: segmentation net as the CropFollow model",
        (o) => [
          "run",
          "--pipeline",
          "cropfollow",
          "--perception",
          "onnx",
          "--model",
          "models/lanenet.onnx",
          "--seeds",
          "1",
          "--workers",
          "0",
          "--out",
          o,
        ],
        /^approxcaliper: models\/lanenet\.onnx: cropfollow network "heading" \+ "distance": expected output \[N, 2\].*got "mask_out" \[N, 1, 32, 64\]; is it the right network\?$/,
      ],
      [
        "shapes: regressor as the GEM lane net",
        (o) => [
          "run",
          "--pipeline",
          "gem",
          "--perception",
          "onnx",
          "--model",
          "models/heading.onnx",
          "--seeds",
          "1",
          "--workers",
          "0",
          "--out",
          o,
        ],
        /^approxcaliper: models\/heading\.onnx: gem network "lanenet": expected output \[N, 1\|2, h, w\].*\[N, 1\]; is it the right network\?$/,
      ],
      ["numbers: negative duration", (o) => ["sim", "--seconds", "-1", "--out", o], /^approxcaliper: --seconds: /],
      [
        "numbers: amount out of range",
        (o) => ["approx", "models/heading.onnx", "--method", "prune", "--amount", "1.5", "--out", join(o, "m.onnx")],
        /^approxcaliper: --amount: /,
      ],
      [
        "paths: --out is a file",
        () => ["sim", "--seconds", "1", "--out", plainFile],
        /^approxcaliper: --out: ".*plain\.txt" exists and is not a folder$/,
      ],
      [
        "paths: --out under a file",
        () => ["sim", "--seconds", "1", "--out", join(plainFile, "sub")],
        /^approxcaliper: --out: .*a parent is not a folder/,
      ],
      [
        "permissions: --out where nothing can be created",
        () => ["sim", "--seconds", "1", "--out", "/proc/approxcaliper-out"],
        /^approxcaliper: --out: cannot (create|use)/,
      ],
      [
        "concurrent writers: folder locked by a live process",
        () => ["sim", "--seconds", "1", "--out", locked],
        new RegExp(
          `^approxcaliper: --out: output folder ".*locked" is in use by another approxcaliper process \\(PID ${sleeper.pid}, calibrate`,
        ),
      ],
      [
        "worlds: start beyond the path",
        (o) => ["sim", "--world", beyond, "--out", o],
        /^approxcaliper: .*beyond\.json: startOffset: expected a number ≤ 19/,
      ],
      [
        "worlds: 200 circles of 10 km",
        (o) => ["sim", "--world", circles, "--out", o],
        /^approxcaliper: .*circles\.json: segments: the route is 12,566,371 m long/,
      ],
      [
        "config: misspelt key",
        (o) => ["sim", "--world", typo, "--out", o],
        /^approxcaliper: .*typo\.json: rows: unknown key "lenght" \(did you mean "length"\?\)$/,
      ],
    ];
    // Two at a time: the machine's two cores.
    const results: { code: number; stderr: string }[] = [];
    for (let i = 0; i < rows.length; i += 2)
      results.push(...(await Promise.all(rows.slice(i, i + 2).map(([, args], j) => cli(args(out(i + j)))))));
    results.forEach(({ code, stderr }, i) => {
      const [name, , pattern] = rows[i];
      const lines = stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"));
      expect(code, name).toBe(1);
      expect(lines, name).toHaveLength(1);
      expect(lines[0], name).toMatch(pattern);
      expect(existsSync(out(i)), `${name}: output folder left behind`).toBe(false);
    });
    expect(readdirSync(locked)).toEqual([LOCK_FILE]);
  }, 600_000);

  it("sim streams its trajectory while it runs (a long run writes as it goes)", async () => {
    const o = join(dir, "long-sim");
    const child = spawn(process.execPath, [...CLI_FROM_SOURCES, "sim", "--seconds", "100000", "--fps", "50", "--out", o], {
      cwd: ROOT,
      stdio: "ignore",
    });
    try {
      const traj = join(o, "trajectory.jsonl");
      let size = 0;
      for (let t = 0; t < 600 && size < 200_000; t++) {
        await new Promise((r) => setTimeout(r, 200));
        size = existsSync(traj) ? statSync(traj).size : 0;
      }
      expect(size).toBeGreaterThanOrEqual(200_000);
    } finally {
      child.kill();
    }
  }, 150_000);

  it("run keeps one run per folder: a rerun with fewer seeds removes the stale seed folders", async () => {
    const o = join(dir, "stale");
    const args = ["--pipeline", "cropfollow", "--world", "cropfield-straight", "--workers", "0", "--max-time", "3", "--out", o];
    await runCommand(registerRun, "run", [...args, "--seeds", "3"]);
    expect(
      readdirSync(o)
        .filter((d) => d.startsWith("seed-"))
        .sort(),
    ).toEqual(["seed-0", "seed-1", "seed-2"]);
    for (const s of ["seed-0", "seed-1", "seed-2"])
      expect(readdirSync(join(o, s))).toEqual(expect.arrayContaining(["summary.json", "trajectory.jsonl"]));
    await runCommand(registerRun, "run", [...args, "--seeds", "1"]);
    expect(readdirSync(o).sort()).toEqual(["seed-0", "summary.json"]);
  }, 120_000);
});
