import type * as THREE from "three";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareRenderer } from "../../../sim/render/SoftwareRenderer.ts";
import { buildWorld, loadWorldPreset } from "../../../worlds/index.ts";
import { ChromiumReference, chromiumUnavailableReason, meanAbsDiff } from "../../fixtures/chromiumReference.ts";
import { fieldScene, roadScene, robotCamera } from "../../fixtures/renderScenes.ts";

const W = 160,
  H = 120;
/** Mean absolute per-channel difference allowed between our frame and WebGL's (0–255 units). */
const TOLERANCE = 4;

const unavailable = chromiumUnavailableReason();
if (unavailable !== null) console.log(`[skipped] Chromium reference comparison: ${unavailable}`);

/** Camera poses along a world: start pose, a few metres on, and turned slightly. */
function cameras(x: number, y: number, yaw: number, height: number, pitchDeg: number): THREE.PerspectiveCamera[] {
  return [
    robotCamera(W, H, 90, height, x, y, yaw, pitchDeg),
    robotCamera(W, H, 90, height, x + 3 * Math.cos(yaw), y + 3 * Math.sin(yaw), yaw + 0.15, pitchDeg),
    robotCamera(W, H, 90, height, x + 8 * Math.cos(yaw), y + 8 * Math.sin(yaw), yaw - 0.1, pitchDeg + 5),
  ];
}

describe.skipIf(unavailable !== null)("SoftwareRenderer vs three.js WebGLRenderer in headless Chromium", () => {
  let ref: ChromiumReference;
  const renderer = new SoftwareRenderer({ width: W, height: H });

  beforeAll(async () => {
    ref = await ChromiumReference.launch(W, H);
  });
  afterAll(async () => {
    await ref?.close();
  });

  async function compare(name: string, scene: THREE.Scene, cams: THREE.PerspectiveCamera[]): Promise<void> {
    await ref.loadScene(scene);
    for (const [i, camera] of cams.entries()) {
      const expected = await ref.render(camera);
      const ours = renderer.render(scene, camera);
      const mad = meanAbsDiff(expected, ours);
      expect(mad, `${name} camera ${i}: mean |Δ| = ${mad.toFixed(2)}/255`).toBeLessThanOrEqual(TOLERANCE);
      // A blank or constant frame would match trivially only if the reference were blank too.
      expect(new Set(expected).size, `${name} camera ${i}: reference frame has content`).toBeGreaterThan(8);
    }
  }

  it("matches on the test field scene (DataTexture mipmaps, instanced vertex-coloured plants, flat shading, linear fog)", async () => {
    await compare("field", fieldScene(), cameras(-1, -0.38, 0, 0.3, 10));
  });

  it("matches on the test road scene (non-indexed instanced dashes, FogExp2, emissive sphere)", async () => {
    await compare("road", roadScene(), cameras(0, -2, 0, 1.6, 5));
  });

  for (const preset of ["cropfield-straight", "cropfield-curved", "gem-track"]) {
    it(`matches on the shipped world preset ${preset}`, async () => {
      const world = buildWorld(loadWorldPreset(preset), 3);
      const { x, y, yaw } = world.startPose;
      const track = world.kind === "track";
      await compare(preset, world.scene, cameras(x, y, yaw, track ? 1.6 : 0.3, track ? 5 : 10));
    });
  }
});
