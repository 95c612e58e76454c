import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, LOCK_FILE, OutputFolder, writeFileAtomic, writeFileAtomicSync } from "../../common/index.ts";

const root = mkdtempSync(join(tmpdir(), "ac-files-"));
const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 900000)"], { stdio: "ignore" });
afterAll(() => void sleeper.kill());

function caught(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("writeFileAtomic", () => {
  it("replaces the file whole and leaves no temporary file behind", async () => {
    const dir = mkdtempSync(join(root, "w-"));
    const path = join(dir, "report.json");
    writeFileSync(path, "old");
    await writeFileAtomic(path, "new contents");
    writeFileAtomicSync(join(dir, "b.bin"), Uint8Array.of(1, 2, 3));
    expect(readFileSync(path, "utf8")).toBe("new contents");
    expect([...readFileSync(join(dir, "b.bin"))]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(["b.bin", "report.json"]);
  });

  it("fails without touching anything when the folder does not exist", async () => {
    await expect(writeFileAtomic(join(root, "missing", "x.json"), "{}")).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(root, "missing"))).toBe(false);
  });
});

describe("OutputFolder", () => {
  it("creates the folder, locks it with this PID and unlocks on release", () => {
    const path = join(root, "a", "b");
    const out = OutputFolder.open(path, { command: "test" });
    const lock = JSON.parse(readFileSync(join(path, LOCK_FILE), "utf8"));
    expect(lock.pid).toBe(process.pid);
    expect(lock.command).toBe("test");
    writeFileSync(join(path, "kept.json"), "{}");
    out.release();
    expect(existsSync(join(path, LOCK_FILE))).toBe(false);
    expect(existsSync(join(path, "kept.json"))).toBe(true);
    OutputFolder.open(path).release();
  });

  it("removes the folders it created when nothing was written (a run refused after opening leaves nothing)", () => {
    const base = mkdtempSync(join(root, "empty-"));
    OutputFolder.open(join(base, "x", "y")).release();
    expect(readdirSync(base)).toEqual([]);
  });

  it("refuses a folder locked by a live process, naming its PID", () => {
    const path = mkdtempSync(join(root, "busy-"));
    writeFileSync(join(path, LOCK_FILE), JSON.stringify({ pid: sleeper.pid, host: hostname(), command: "calibrate", since: "t" }));
    const e = caught(() => OutputFolder.open(path, { where: "--out" }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain(`PID ${sleeper.pid}`);
    expect(e.message).toContain("calibrate");
    expect(e.message.startsWith("--out: ")).toBe(true);
  });

  it("takes over a stale lock left by a process that is gone", async () => {
    const path = mkdtempSync(join(root, "stale-"));
    const dead = spawn(process.execPath, ["-e", "0"]);
    await new Promise((r) => dead.on("exit", r));
    writeFileSync(join(path, LOCK_FILE), JSON.stringify({ pid: dead.pid, host: hostname(), command: "run", since: "t" }));
    const out = OutputFolder.open(path);
    expect(JSON.parse(readFileSync(join(path, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    out.release();
  });

  it("refuses the same folder twice in one process, a file as folder and an uncreatable folder", () => {
    const path = mkdtempSync(join(root, "twice-"));
    const out = OutputFolder.open(path);
    expect(caught(() => OutputFolder.open(path))).toBeInstanceOf(InputError);
    out.release();
    const file = join(root, "plain.txt");
    writeFileSync(file, "x");
    const e = caught(() => OutputFolder.open(file));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/exists and is not a folder/);
    const e2 = caught(() => OutputFolder.open(join(file, "sub")));
    expect(e2).toBeInstanceOf(InputError);
    expect(e2.message).toMatch(/a parent is not a folder/);
    expect(caught(() => OutputFolder.open("/proc/approxcaliper-out"))).toBeInstanceOf(InputError);
  });
});
