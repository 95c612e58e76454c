import * as THREE from "three";
import { describe, expect, it } from "vitest";
import { linearToSrgb } from "../../../sim/render/color.ts";
import { SoftwareRenderer } from "../../../sim/render/SoftwareRenderer.ts";
import { fieldScene, robotCamera } from "../../fixtures/renderScenes.ts";

const W = 80,
  H = 60;

/** Camera at `z` above the origin looking straight down −z (Z-up world, +y is screen up). */
function topDownCamera(z: number, fov = 60): THREE.PerspectiveCamera {
  const camera = new THREE.PerspectiveCamera(fov, W / H, 0.1, 100);
  camera.up.set(0, 1, 0);
  camera.position.set(0, 0, z);
  camera.lookAt(0, 0, 0);
  camera.updateMatrixWorld();
  return camera;
}

function quad(size: number, color: THREE.ColorRepresentation, z: number, material?: THREE.Material): THREE.Mesh {
  const mesh = new THREE.Mesh(new THREE.PlaneGeometry(size, size), material ?? new THREE.MeshBasicMaterial({ color }));
  mesh.position.z = z;
  return mesh;
}

function pixel(img: Uint8Array, x: number, y: number): number[] {
  const o = (y * W + x) * 3;
  return [img[o], img[o + 1], img[o + 2]];
}

const byte = (linear: number) => Math.round(Math.min(1, linearToSrgb(linear)) * 255);

describe("SoftwareRenderer", () => {
  it("lets the nearer surface win regardless of draw order", () => {
    for (const order of [0, 1]) {
      const scene = new THREE.Scene();
      scene.background = new THREE.Color(0, 0, 0);
      const near = quad(1, 0xff0000, 1);
      const far = quad(20, 0x0000ff, 0);
      if (order === 0) scene.add(near, far);
      else scene.add(far, near);
      // renderOrder forces the far quad to be drawn last in one of the runs.
      far.renderOrder = order === 0 ? 1 : -1;
      const img = new SoftwareRenderer({ width: W, height: H }).render(scene, topDownCamera(5));
      expect(pixel(img, W / 2, H / 2)).toEqual([255, 0, 0]);
      expect(pixel(img, 5, 5)).toEqual([0, 0, 255]);
    }
  });

  it("clips a triangle crossing the near plane without losing or inventing pixels", () => {
    // One huge ground triangle that extends behind the camera, seen from 1 m up, looking level along +x.
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0, 0, 1);
    const geo = new THREE.BufferGeometry();
    geo.setAttribute("position", new THREE.BufferAttribute(new Float32Array([-50, -400, 0, 60, 0, 0, -50, 400, 0]), 3));
    scene.add(new THREE.Mesh(geo, new THREE.MeshBasicMaterial({ color: 0xff0000, side: THREE.DoubleSide })));
    const camera = new THREE.PerspectiveCamera(60, W / H, 0.1, 1000);
    camera.up.set(0, 0, 1);
    camera.position.set(0, 0, 1);
    camera.lookAt(1, 0, 1);
    camera.updateMatrixWorld();
    const img = new SoftwareRenderer({ width: W, height: H }).render(scene, camera);
    const tanHalf = Math.tan((30 * Math.PI) / 180);
    let checked = 0;
    for (let y = 0; y < H; y++) {
      // Ray through the centre of row y descends by (ndcY · tan(fov/2)) per metre forward; it hits
      // z = 0 at x = 1 / descent. The triangle's far edge is the line x = 60 − 60|y|/400 ≈ 60 near the axis.
      const ndcY = 1 - (2 * (y + 0.5)) / H;
      const descent = -ndcY * tanHalf;
      const hitX = descent > 0 ? 1 / descent : Infinity;
      if (Math.abs(hitX - 55) < 10) continue; // rows near the far edge depend on the lateral position
      const expected = hitX < 45 ? [255, 0, 0] : [0, 0, 255];
      for (const x of [0, W / 2, W - 1]) {
        expect(pixel(img, x, y), `row ${y} column ${x}`).toEqual(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("matches hand-computed Lambert shading for a flat quad (ambient + hemisphere + directional, 1/π BRDF)", () => {
    const scene = new THREE.Scene();
    const color = new THREE.Color(0.6, 0.5, 0.3);
    scene.add(quad(10, 0, 0, new THREE.MeshLambertMaterial({ color })));
    scene.add(new THREE.AmbientLight(new THREE.Color(1, 1, 1), 0.5));
    const hemi = new THREE.HemisphereLight(new THREE.Color(0.4, 0.6, 1), new THREE.Color(0.3, 0.2, 0.1), 1.5);
    hemi.position.set(0, 0, 1);
    scene.add(hemi);
    const sun = new THREE.DirectionalLight(new THREE.Color(1, 0.9, 0.8), 2);
    sun.position.set(0, 3, 4); // n·l = 0.8
    scene.add(sun);
    const img = new SoftwareRenderer({ width: W, height: H }).render(scene, topDownCamera(3));
    const expected = (["r", "g", "b"] as const).map((c) => {
      const irradiance = 0.5 * 1 + 1.5 * hemi.color[c] + 2 * 0.8 * sun.color[c];
      return byte((color[c] * irradiance) / Math.PI);
    });
    for (const [x, y] of [
      [W / 2, H / 2],
      [3, 3],
      [W - 4, H - 4],
    ]) {
      const got = pixel(img, x, y);
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - expected[c]), `channel ${c} at ${x},${y}`).toBeLessThanOrEqual(1);
    }
  });

  it("lights back faces of double-sided materials with the flipped normal and culls per side", () => {
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0, 0, 0);
    scene.add(new THREE.DirectionalLight(0xffffff, Math.PI));
    const plane = quad(4, 0, 0, new THREE.MeshLambertMaterial({ color: 0xffffff, side: THREE.DoubleSide }));
    plane.rotation.x = Math.PI; // normal now points away from the camera and the light at (0, 1, 0)…
    const sun = scene.children[0] as THREE.DirectionalLight;
    sun.position.set(0, 0, 1);
    scene.add(plane);
    const r = new SoftwareRenderer({ width: W, height: H });
    // Back face seen; flipped normal faces the light: full white (irradiance π · 1/π = 1).
    expect(pixel(r.render(scene, topDownCamera(3)), W / 2, H / 2)).toEqual([255, 255, 255]);
    (plane.material as THREE.Material).side = THREE.FrontSide;
    expect(pixel(r.render(scene, topDownCamera(3)), W / 2, H / 2)).toEqual([0, 0, 0]);
    (plane.material as THREE.Material).side = THREE.BackSide;
    expect(pixel(r.render(scene, topDownCamera(3)), W / 2, H / 2)).toEqual([255, 255, 255]);
  });

  it("mixes linear fog after sRGB encoding, like three", () => {
    const scene = new THREE.Scene();
    const fogColor = new THREE.Color(0.2, 0.4, 0.8);
    scene.background = fogColor.clone();
    scene.fog = new THREE.Fog(fogColor, 1, 5); // quad at depth 3: smoothstep(1, 5, 3) = 0.5
    scene.add(quad(10, 0, 0, new THREE.MeshBasicMaterial({ color: new THREE.Color(1, 0, 0) })));
    const img = new SoftwareRenderer({ width: W, height: H }).render(scene, topDownCamera(3));
    const expected = [1, 0, 0].map((c, i) => Math.round((c + (linearToSrgb(fogColor.toArray()[i]) - c) * 0.5) * 255));
    const got = pixel(img, W / 2, H / 2);
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - expected[c])).toBeLessThanOrEqual(1);
  });

  it("keeps fully fogged instances fog-coloured and does not carry fog culling over to another scene", () => {
    const far = () => {
      const mesh = new THREE.InstancedMesh(new THREE.PlaneGeometry(2, 2), new THREE.MeshBasicMaterial({ color: 0xff0000 }), 1);
      mesh.setMatrixAt(0, new THREE.Matrix4().makeTranslation(0, 0, -10));
      return mesh;
    };
    const fogged = new THREE.Scene();
    fogged.background = new THREE.Color(0, 1, 0);
    fogged.fog = new THREE.Fog(new THREE.Color(0, 1, 0), 1, 5);
    fogged.add(far());
    const plain = new THREE.Scene();
    plain.background = new THREE.Color(0, 0, 0);
    plain.add(far());
    const r = new SoftwareRenderer({ width: W, height: H });
    const camera = topDownCamera(3);
    expect(pixel(r.render(fogged, camera), W / 2, H / 2)).toEqual([0, 255, 0]);
    expect(pixel(r.render(plain, camera), W / 2, H / 2)).toEqual([255, 0, 0]);
    expect(pixel(r.render(fogged, camera), W / 2, H / 2)).toEqual([0, 255, 0]);
  });

  it("respects camera layers, visibility and instance colours", () => {
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0, 0, 0);
    const boxes = new THREE.InstancedMesh(new THREE.PlaneGeometry(1, 1), new THREE.MeshBasicMaterial({ color: 0xffffff }), 2);
    boxes.setMatrixAt(0, new THREE.Matrix4().makeTranslation(-1, 0, 0));
    boxes.setMatrixAt(1, new THREE.Matrix4().makeTranslation(1, 0, 0));
    boxes.setColorAt(0, new THREE.Color(1, 0, 0));
    boxes.setColorAt(1, new THREE.Color(0, 1, 0));
    scene.add(boxes);
    const camera = topDownCamera(4);
    const r = new SoftwareRenderer({ width: W, height: H });
    const img = r.render(scene, camera);
    const left = pixel(img, Math.round(W / 2 - W / 7), H / 2),
      right = pixel(img, Math.round(W / 2 + W / 7), H / 2);
    expect(left).toEqual([255, 0, 0]);
    expect(right).toEqual([0, 255, 0]);
    boxes.layers.set(1);
    expect(r.render(scene, camera).every((v) => v === 0)).toBe(true);
    camera.layers.enable(1);
    expect(pixel(r.render(scene, camera), Math.round(W / 2 - W / 7), H / 2)).toEqual([255, 0, 0]);
    boxes.visible = false;
    expect(r.render(scene, camera).every((v) => v === 0)).toBe(true);
  });

  it("samples DataTexture maps (nearest magnification, sRGB decode) through the uv transform", () => {
    const data = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    const tex = new THREE.DataTexture(data, 2, 2, THREE.RGBAFormat);
    tex.colorSpace = THREE.SRGBColorSpace;
    tex.needsUpdate = true;
    const scene = new THREE.Scene();
    scene.add(quad(2, 0, 0, new THREE.MeshBasicMaterial({ map: tex })));
    // Plane uv (0,0) is the bottom-left corner (−x, −y), i.e. the bottom-left of the image from above.
    const img = new SoftwareRenderer({ width: W, height: H }).render(scene, topDownCamera(2, 40));
    const at = (fx: number, fy: number) => pixel(img, Math.round(W / 2 + fx * W * 0.1), Math.round(H / 2 - fy * H * 0.1));
    expect(at(-1, -1)).toEqual([255, 0, 0]);
    expect(at(1, -1)).toEqual([0, 255, 0]);
    expect(at(-1, 1)).toEqual([0, 0, 255]);
    expect(at(1, 1)).toEqual([255, 255, 255]);
  });

  it("is deterministic and writes into the given target", () => {
    const scene = fieldScene();
    const camera = robotCamera(W, H, 90, 0.3, -1, -0.38, 0, 10);
    const r = new SoftwareRenderer({ width: W, height: H });
    const a = r.render(scene, camera).slice();
    const target = new Uint8Array(W * H * 3);
    const b = r.render(scene, camera, target);
    expect(b).toBe(target);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    expect(() => r.render(scene, camera, new Uint8Array(5))).toThrow(/target has 5 bytes/);
  });

  it("throws, naming the object and feature, on unsupported three.js features", () => {
    const camera = topDownCamera(3);
    const r = new SoftwareRenderer({ width: W, height: H });
    const cases: [string, (s: THREE.Scene) => void, RegExp][] = [
      [
        "standard material",
        (s) => s.add(Object.assign(quad(1, 0, 0, new THREE.MeshStandardMaterial()), { name: "shiny" })),
        /Mesh "shiny".*MeshStandardMaterial is not supported/,
      ],
      ["point light", (s) => s.add(Object.assign(new THREE.PointLight(), { name: "bulb" })), /PointLight "bulb".*only AmbientLight/],
      ["shadows", (s) => s.add(Object.assign(new THREE.DirectionalLight(), { castShadow: true })), /castShadow/],
      ["transparency", (s) => s.add(quad(1, 0, 0, new THREE.MeshBasicMaterial({ transparent: true, opacity: 0.5 }))), /transparent/],
      ["points", (s) => s.add(new THREE.Points(new THREE.BufferGeometry(), new THREE.PointsMaterial())), /only Mesh and InstancedMesh/],
      [
        "normal map",
        (s) => s.add(quad(1, 0, 0, new THREE.MeshLambertMaterial({ normalMap: new THREE.Texture() }))),
        /normalMap is not supported/,
      ],
      ["non-DataTexture map", (s) => s.add(quad(1, 0, 0, new THREE.MeshBasicMaterial({ map: new THREE.Texture() }))), /not a THREE.DataTexture/],
      [
        "mipmap filter without mipmaps",
        (s) => {
          const t = new THREE.DataTexture(new Uint8Array(16), 2, 2);
          t.minFilter = THREE.LinearMipmapLinearFilter;
          s.add(quad(1, 0, 0, new THREE.MeshBasicMaterial({ map: t })));
        },
        /mipmap minFilter but generateMipmaps is false/,
      ],
      [
        "texture background",
        (s) => {
          s.background = new THREE.Texture();
        },
        /background must be a THREE.Color/,
      ],
    ];
    for (const [name, build, message] of cases) {
      const scene = new THREE.Scene();
      build(scene);
      expect(() => r.render(scene, camera), name).toThrow(message);
    }
    expect(() => r.render(new THREE.Scene(), new THREE.OrthographicCamera() as unknown as THREE.PerspectiveCamera)).toThrow(/PerspectiveCamera/);
  });
});
