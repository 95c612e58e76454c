/// <reference lib="dom" />
import { mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecording, recordedPreset, type LoadedRecording } from "../../pipelines/index.ts";
import { register as viewRegister } from "../../scripts/commands/view.ts";
import { serveViewer, type ViewerTestHook } from "../../viewer/index.ts";
import { buildWorld } from "../../worlds/index.ts";
import { CHROMIUM_LAUNCH_ARGS, CHROMIUM_PATH, chromiumUnavailableReason } from "../fixtures/chromiumReference.ts";
import { makeRecordedRuns, type RecordedRuns } from "../fixtures/recordedRuns.ts";
import { runCommand } from "../fixtures/runCommand.ts";

/** Set to write the README's screenshot (docs/viewer.png) from this test. */
const WRITE_SCREENSHOT = process.env.APPROXCALIPER_WRITE_SCREENSHOT === "1";

declare const approxcaliperViewer: ViewerTestHook;

const skip = chromiumUnavailableReason();
let runs: RecordedRuns;
let crop: LoadedRecording;
let server: Server;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (skip) return;
  runs = await makeRecordedRuns();
  crop = readRecording(runs.cropfollow.dir);
  const printed = await runCommand(viewRegister, "view", [runs.root]);
  expect(printed).toMatch(/wrote .*viewer\.html \(2 replay\(s\)/);
  const served = await serveViewer(join(runs.root, "viewer.html"));
  server = served.server;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_LAUNCH_ARGS });
  page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
  page.on("console", (m) => void (m.type() === "error" && consoleErrors.push(m.text())));
  page.on("pageerror", (e) => void consoleErrors.push(e.message));
  await page.goto(`${served.url}#replay=seed-2`);
  await page.waitForFunction(() => approxcaliperViewer.ready, null, { timeout: 90_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe.skipIf(skip)("viewer.html in Chromium", () => {
  it("loads with no console errors and rebuilds the recorded world: plants for the preset and seed", async () => {
    expect(await page.evaluate(() => approxcaliperViewer.replayIds())).toEqual(["gem/seed-2", "seed-2"]);
    const world = buildWorld(recordedPreset(crop.header), crop.header.seed);
    const counts = await page.evaluate(() => approxcaliperViewer.sceneCounts());
    expect(counts.obstacles).toBe(world.obstacles.length);
    expect(counts.plants).toBe(world.obstacles.filter((o) => o.kind === "plant").length);
    expect(counts.plants).toBeGreaterThan(100);
    expect(await page.evaluate(() => approxcaliperViewer.errors)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("moving the time slider puts the robot at the recorded pose", async () => {
    for (const k of [0, 37, crop.trajectory.length - 1]) {
      const line = crop.trajectory[k];
      await page.locator("#time").evaluate((el: HTMLInputElement, t: number) => {
        el.value = String(t);
        el.dispatchEvent(new Event("input"));
      }, line.t);
      const pose = await page.evaluate(() => approxcaliperViewer.robotPose());
      // The slider's step rounds t to 0.01 s: compare against the recorded pose at the time it shows.
      const shown = Number(await page.locator("#time").inputValue());
      expect(shown).toBeCloseTo(line.t, 2);
      expect(Math.hypot(pose.x - line.pose.x, pose.y - line.pose.y)).toBeLessThan(0.01);
      expect(Math.abs(pose.yaw - line.pose.yaw)).toBeLessThan(0.01);
    }
    // Through the hook, times between control steps interpolate exactly.
    const a = crop.trajectory[20];
    const b = crop.trajectory[21];
    const mid = await page.evaluate((t) => (approxcaliperViewer.setTime(t), approxcaliperViewer.robotPose()), (a.t + b.t) / 2);
    expect(mid.x).toBeCloseTo((a.pose.x + b.pose.x) / 2, 9);
  });

  it("draws a collision marker at each recorded collision position", async () => {
    const events = crop.header.summary.collisionEvents;
    expect(events.length).toBeGreaterThan(0);
    const markers = await page.evaluate(() => approxcaliperViewer.collisionMarkers());
    expect(markers).toHaveLength(events.length);
    events.forEach((e, i) => {
      expect(markers[i].x).toBeCloseTo(e.x, 5);
      expect(markers[i].y).toBeCloseTo(e.y, 5);
    });
  });

  it("shows the recorded camera frame of the current time, and a screenshot that is not blank", async () => {
    const f = crop.header.frames[3];
    await page.evaluate((t) => approxcaliperViewer.setTime(t), f.t + 0.01);
    const shown = await page.evaluate(() => approxcaliperViewer.cameraFrame());
    const expected = `data:image/jpeg;base64,${readFileSync(join(crop.dir, f.file)).toString("base64")}`;
    expect(shown?.t).toBe(f.t);
    expect(shown?.src).toBe(expected);
    const img = await page
      .locator("#camera-frame")
      .evaluate((el: HTMLImageElement) => el.decode().then(() => ({ src: el.src, w: el.naturalWidth, h: el.naturalHeight })));
    expect(img.src).toBe(expected);
    expect([img.w, img.h]).toEqual([320, 240]);

    // README screenshot: follow camera at the first collision.
    await page.selectOption("#camera-mode", "follow");
    await page.evaluate((t) => approxcaliperViewer.setTime(t), crop.header.summary.collisionEvents[0].time);
    await page.waitForTimeout(200);
    const png = await page.screenshot();
    const world = await sharp(await page.locator("#world").screenshot()).stats();
    // A blank canvas is one colour; the rendered field has sky, soil and plants.
    expect(Math.max(...world.channels.map((c) => c.stdev))).toBeGreaterThan(20);
    if (WRITE_SCREENSHOT) {
      mkdirSync("docs", { recursive: true });
      await sharp(png).png({ compressionLevel: 9, palette: true }).toFile("docs/viewer.png");
    }
    expect(consoleErrors).toEqual([]);
  });

  it("switches replays with the seed picker: the GEM track with its cones", async () => {
    await page.selectOption("#replay", "gem/seed-2");
    const gem = readRecording(runs.gem.dir);
    const world = buildWorld(recordedPreset(gem.header), gem.header.seed);
    const counts = await page.evaluate(() => approxcaliperViewer.sceneCounts());
    expect(counts.cones).toBe(world.obstacles.filter((o) => o.kind === "cone").length);
    expect(counts.cones).toBeGreaterThan(20);
    expect(await page.evaluate(() => approxcaliperViewer.cameraFrame())).toBeNull();
    expect(consoleErrors).toEqual([]);
  });
});
