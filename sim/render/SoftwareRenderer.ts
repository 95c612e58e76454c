import * as THREE from "three";
import { linearToSrgb, toByte } from "./color.ts";
import { LightEnvironment } from "./LightEnvironment.ts";
import { FOG_EXP2, FOG_LINEAR, FOG_NONE, PixelPipeline } from "./PixelPipeline.ts";
import { NEEDS_CLIP, PolygonClipper, VIEW_VOLUME } from "./PolygonClipper.ts";
import { checkDrawable, checkGeometry, checkLight, checkMaterial, checkScene, describe } from "./supportChecks.ts";
import { boxHasPixelCentre, SUBPIXEL } from "./rasterizer.ts";
import { sampledTextureFor } from "./texture.ts";
import { VertexShading } from "./VertexShading.ts";
import { V_CW, V_CX, V_CY, V_CZ, V_R, V_RB, V_Q, V_STRIDE, V_SX, V_SY, V_U, V_V, type VertexBuffer } from "./vertexLayout.ts";

/** Options of {@link SoftwareRenderer}. */
export interface SoftwareRendererOptions {
  /** Image width in pixels (≥ 1). */
  width: number;
  /** Image height in pixels (≥ 1). */
  height: number;
}

type SupportedMaterial = THREE.MeshLambertMaterial | THREE.MeshBasicMaterial;

/** One draw of the frame, sorted like three's opaque render list. */
interface RenderItem {
  mesh: THREE.Mesh;
  material: SupportedMaterial;
  groupOrder: number;
  z: number;
}

/** {@link SoftwareRenderer.sphereClass} results. */
const SPHERE_OUT = 0;
const SPHERE_PARTIAL = 1;
const SPHERE_INSIDE = 2;
/**
 * Relative and absolute (world units) slack before a sphere counts as wholly inside the view volume,
 * so single-precision clip coordinates of vertices on its surface cannot round outside.
 */
const INSIDE_MARGIN = 1e-3;

/** Beyond this fraction of remaining surface colour, an exponentially fogged surface is pure fog colour. */
const EXP2_FOG_RESIDUE = 1e-4;

const _sphere = new THREE.Sphere();
const _v = new THREE.Vector3();
const _v4 = new THREE.Vector4();
const _viewProj = new THREE.Matrix4();
const _fogColor = new THREE.Color();

/**
 * CPU rasterizer for three.js scenes: renders what `THREE.WebGLRenderer` would draw for the
 * supported subset, to an RGB8 buffer, in one thread with no per-vertex or per-pixel allocation.
 *
 * Pipeline: `scene.updateMatrixWorld()`; traversal honouring `visible`, `camera.layers`,
 * `material.visible` and Group `renderOrder`; opaque sort like three's (`groupOrder`, `renderOrder`,
 * material id, depth, id); per-instance vertex transform with three's own matrices and per-instance
 * frustum culling; near/far clipping in clip space (and a guard band); fixed-point rasterization with
 * the top-left fill rule; depth test `LessEqual`; per-vertex Lambert lighting in world space
 * (per-triangle with `flatShading`); perspective-correct colours and uvs; texture sampling with
 * mipmaps; sRGB encoding; fog mixed after encoding as three does.
 *
 * Supported:
 * - objects: `Mesh`, `InstancedMesh` (`instanceMatrix`, `instanceColor`, `count`), `Group`, lights;
 *   indexed and non-indexed `BufferGeometry` with Float32 `position`/`normal`/`uv`/`color`, `drawRange`;
 * - materials: opaque `MeshBasicMaterial` and `MeshLambertMaterial` (`color`, `map`, `vertexColors`,
 *   `emissive`/`emissiveIntensity`, `flatShading`, `side`, `alphaTest`, `fog`, `depthTest`, `depthWrite`,
 *   `colorWrite`);
 * - textures: `DataTexture` with Uint8 RGBA (any colour space) or RGB (linear) data, uv transform
 *   (`offset`/`repeat`/`rotation`/`center`), wrap modes, all min/mag filters, generated or given mipmaps;
 * - lights: `AmbientLight`, `HemisphereLight`, `DirectionalLight` (r155+ units: BRDF includes 1/π);
 * - `scene.background` as `Color` (or null → black), `scene.fog` as `Fog` or `FogExp2`;
 * - `PerspectiveCamera` (its `projectionMatrix` is used as is, like three; call `updateProjectionMatrix()`).
 *
 * Not supported (throws an Error naming the object and feature): other materials (Standard, Phong,
 * Toon, shader materials…), transparency and blending modes other than normal, `polygonOffset`,
 * `depthFunc` other than LessEqual, wireframe, clipping planes, every map except `map`
 * (normal/bump/ao/light/emissive/env/alpha…), point/spot/rect-area lights and light probes, shadows
 * (`castShadow` on a light), textured or cube-map backgrounds, `overrideMaterial`, lines, points,
 * sprites, LOD, skinned/batched meshes, morph targets, multi-material meshes, interleaved or
 * non-Float32 attributes, anisotropic filtering, non-DataTexture textures, orthographic cameras,
 * RGBA vertex colours combined with `alphaTest`.
 * Ignored, as they have no effect on an opaque Lambert/Basic frame in three either:
 * `scene.environment`, `receiveShadow`, `toneMapped` (three's default NoToneMapping). `dithering` is
 * ignored (three adds ±0.5/255 noise).
 *
 * Per-vertex lighting differs from three's per-fragment Lambert only inside curved, smooth-shaded
 * triangles; flat surfaces match exactly.
 *
 * @example
 * const renderer = new SoftwareRenderer({ width: 160, height: 120 });
 * const rgb = renderer.render(scene, camera); // Uint8Array, 120 × 160 × 3, row 0 at the top
 */
export class SoftwareRenderer {
  /** Image width in pixels. */
  readonly width: number;
  /** Image height in pixels. */
  readonly height: number;

  private readonly pipe: PixelPipeline;
  private readonly ownColor: Uint8Array;
  private readonly clipper: PolygonClipper;
  private readonly lights = new LightEnvironment();
  private readonly items: RenderItem[] = [];
  private itemCount = 0;
  private camera: THREE.Camera | null = null;
  private verts: VertexBuffer = new Float32Array(0);
  private outcodes = new Uint8Array(0);
  /** Per vertex of the current instance: 1 once its colour has been computed. */
  private colored = new Uint8Array(0);
  private readonly shading = new VertexShading();

  // Per-frame state.
  private readonly viewProj = new Float64Array(16);
  private readonly view = new Float64Array(16);
  private readonly planes = new Float64Array(24);
  private camX = 0;
  private camY = 0;
  private camZ = 0;
  private fogMode = FOG_NONE;
  private fogCullDepth = Infinity;
  // Per-instance scratch.
  private readonly meshWorld = new Float64Array(16);
  private readonly model = new Float64Array(16);
  private readonly mvp = new Float64Array(16);
  private readonly vpmw = new Float64Array(16);
  private readonly nrm = new Float64Array(9);
  private readonly irr = new Float64Array(6);
  private readonly sphere = new Float64Array(4);
  /** The current map's uv transform (column-major 3×3). */
  private readonly uvMatrix = new Float64Array(9);

  constructor(options: SoftwareRendererOptions) {
    const { width, height } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`SoftwareRenderer: width and height must be positive integers, got ${width}×${height}`);
    }
    this.width = width;
    this.height = height;
    this.pipe = new PixelPipeline(width, height);
    this.ownColor = this.pipe.color;
    this.clipper = new PolygonClipper(width, height);
  }

  /**
   * Render `scene` from `camera` (updating world matrices as three's `WebGLRenderer.render` does).
   * Returns RGB8, row-major H×W×3, sRGB-encoded, row 0 at the top. When `target` is given
   * (length W·H·3) the frame is written there and `target` is returned; otherwise an internal
   * buffer is returned, which the next call overwrites.
   */
  render(scene: THREE.Scene, camera: THREE.PerspectiveCamera, target?: Uint8Array): Uint8Array {
    if (!camera || !camera.isPerspectiveCamera) throw new Error("SoftwareRenderer: camera must be a THREE.PerspectiveCamera");
    const size = this.width * this.height * 3;
    if (target !== undefined && target.length !== size) {
      throw new Error(`SoftwareRenderer: target has ${target.length} bytes, expected ${size} (${this.width}×${this.height}×3)`);
    }
    checkScene(scene);
    if (scene.matrixWorldAutoUpdate) scene.updateMatrixWorld();
    if (camera.parent === null && camera.matrixWorldAutoUpdate) camera.updateMatrixWorld();
    this.setupFrame(scene, camera);

    const pipe = this.pipe;
    pipe.color = target ?? this.ownColor;
    const bg = scene.background as THREE.Color | null;
    if (bg) pipe.clear(toByte(linearToSrgb(bg.r)), toByte(linearToSrgb(bg.g)), toByte(linearToSrgb(bg.b)));
    else pipe.clear(0, 0, 0);

    this.lights.clear();
    this.itemCount = 0;
    this.camera = camera;
    this.collect(scene, 0);
    this.camera = null;
    this.setupFogCulling(scene);

    const items = this.items;
    const n = this.itemCount;
    // Insertion sort of the live prefix (no allocation; nearly sorted frame to frame), with three's
    // painterSortStable order for opaque objects.
    for (let i = 1; i < n; i++) {
      const item = items[i];
      let j = i - 1;
      while (j >= 0 && compareItems(items[j], item) > 0) {
        items[j + 1] = items[j];
        j--;
      }
      items[j + 1] = item;
    }
    for (let i = 0; i < n; i++) this.drawItem(items[i]);
    return pipe.color;
  }

  private setupFrame(scene: THREE.Scene, camera: THREE.PerspectiveCamera): void {
    _viewProj.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    const vp = this.viewProj;
    const e = _viewProj.elements;
    for (let i = 0; i < 16; i++) vp[i] = e[i];
    const ve = camera.matrixWorldInverse.elements;
    for (let i = 0; i < 16; i++) this.view[i] = ve[i];
    // Frustum planes (a, b, c, d), normalized, from the rows of the view-projection matrix.
    const P = this.planes;
    for (let p = 0; p < 6; p++) {
      const row = p >> 1,
        sign = p & 1 ? -1 : 1;
      const a = vp[3] + sign * vp[row],
        b = vp[7] + sign * vp[4 + row],
        c = vp[11] + sign * vp[8 + row],
        d = vp[15] + sign * vp[12 + row];
      const len = Math.hypot(a, b, c);
      P[4 * p] = a / len;
      P[4 * p + 1] = b / len;
      P[4 * p + 2] = c / len;
      P[4 * p + 3] = d / len;
    }
    _v.setFromMatrixPosition(camera.matrixWorld);
    this.camX = _v.x;
    this.camY = _v.y;
    this.camZ = _v.z;

    const pipe = this.pipe;
    const fog = scene.fog as (THREE.Fog & THREE.FogExp2) | null;
    this.fogMode = FOG_NONE;
    if (fog) {
      this.fogMode = (fog as THREE.Fog).isFog ? FOG_LINEAR : FOG_EXP2;
      pipe.fogNear = fog.near ?? 0;
      pipe.fogFar = fog.far ?? 0;
      pipe.fogDensity = fog.density ?? 0;
      // three hands the fog colour to the shader in the output colour space (sRGB).
      pipe.fogR = linearToSrgb(fog.color.r);
      pipe.fogG = linearToSrgb(fog.color.g);
      pipe.fogB = linearToSrgb(fog.color.b);
    }
  }

  /**
   * Objects lying wholly where fog is total render as pure fog colour; when that equals the
   * background and every drawn material is fogged, skipping them changes no pixel.
   */
  private setupFogCulling(scene: THREE.Scene): void {
    this.fogCullDepth = Infinity;
    const fog = scene.fog as (THREE.Fog & THREE.FogExp2) | null;
    const bg = scene.background as THREE.Color | null;
    if (!fog || !bg) return;
    _fogColor.copy(fog.color);
    for (const c of ["r", "g", "b"] as const) {
      if (toByte(linearToSrgb(_fogColor[c])) !== toByte(linearToSrgb(bg[c]))) return;
    }
    for (let i = 0; i < this.itemCount; i++) if (!this.items[i].material.fog) return;
    this.fogCullDepth = this.fogMode === FOG_LINEAR ? fog.far : Math.sqrt(-Math.log(EXP2_FOG_RESIDUE)) / fog.density;
  }

  private collect(object: THREE.Object3D, groupOrder: number): void {
    if (!object.visible) return;
    if (object.layers.test(this.camera!.layers)) {
      const o = object as unknown as Record<string, unknown>;
      if (o.isGroup) {
        groupOrder = object.renderOrder;
      } else if (o.isLight) {
        checkLight(object as THREE.Light);
        this.lights.add(object as THREE.Light);
      } else if (o.isMesh || o.isLine || o.isPoints || o.isSprite || o.isLOD) {
        checkDrawable(object);
        this.push(object as THREE.Mesh, groupOrder);
      }
    }
    const children = object.children;
    for (let i = 0, n = children.length; i < n; i++) this.collect(children[i], groupOrder);
  }

  private push(mesh: THREE.Mesh, groupOrder: number): void {
    const material = mesh.material as THREE.Material;
    if (Array.isArray(material)) throw new Error(`SoftwareRenderer: ${describe(mesh)}: multi-material meshes are not supported`);
    if (!material.visible) return;
    checkMaterial(material, mesh);
    const geometry = mesh.geometry;
    if (geometry.boundingSphere === null) geometry.computeBoundingSphere();
    // Whole-object culling as three does it (instanced meshes use the sphere around all instances,
    // computed once, like three's `InstancedMesh.computeBoundingSphere`).
    const instanced = (mesh as THREE.InstancedMesh).isInstancedMesh === true;
    let sphere = geometry.boundingSphere!;
    if (instanced) {
      const im = mesh as THREE.InstancedMesh;
      if (im.boundingSphere === null) im.computeBoundingSphere();
      sphere = im.boundingSphere!;
    }
    if (mesh.frustumCulled) {
      _sphere.copy(sphere).applyMatrix4(mesh.matrixWorld);
      const sph = this.sphere;
      sph[0] = _sphere.center.x;
      sph[1] = _sphere.center.y;
      sph[2] = _sphere.center.z;
      sph[3] = _sphere.radius;
      // Frustum only: fog culling needs the whole frame's item list (see setupFogCulling).
      if (this.sphereClass(false, Infinity) === SPHERE_OUT) return;
    }
    _v4.set(sphere.center.x, sphere.center.y, sphere.center.z, 1);
    _v4.applyMatrix4(mesh.matrixWorld).applyMatrix4(_viewProj);
    let item = this.items[this.itemCount];
    if (item === undefined) {
      item = { mesh, material: material as SupportedMaterial, groupOrder, z: 0 };
      this.items.push(item);
    }
    item.mesh = mesh;
    item.material = material as SupportedMaterial;
    item.groupOrder = groupOrder;
    item.z = _v4.z;
    this.itemCount++;
  }

  /**
   * World-space sphere (centre, radius) in {@link sphere} against the frustum planes and, if `fog`,
   * the total-fog depth: {@link SPHERE_OUT}, {@link SPHERE_PARTIAL} or {@link SPHERE_INSIDE} (the
   * concentric sphere of radius `insideRadius` lies wholly inside the view volume, so no vertex in it
   * needs clip codes).
   */
  private sphereClass(fog: boolean, insideRadius: number): number {
    const P = this.planes,
      S = this.sphere;
    const cx = S[0],
      cy = S[1],
      cz = S[2],
      r = S[3];
    let nearest = Infinity;
    for (let p = 0; p < 24; p += 4) {
      const d = P[p] * cx + P[p + 1] * cy + P[p + 2] * cz + P[p + 3];
      if (d < -r) return SPHERE_OUT;
      if (d < nearest) nearest = d;
    }
    if (fog && this.fogCullDepth !== Infinity) {
      const V = this.view;
      const depth = -(V[2] * cx + V[6] * cy + V[10] * cz + V[14]);
      if (depth - r > this.fogCullDepth) return SPHERE_OUT;
    }
    return nearest > insideRadius * (1 + INSIDE_MARGIN) + INSIDE_MARGIN ? SPHERE_INSIDE : SPHERE_PARTIAL;
  }

  private drawItem(item: RenderItem): void {
    const mesh = item.mesh,
      material = item.material,
      geometry = mesh.geometry;
    checkGeometry(mesh, material);
    const lit = material.type === "MeshLambertMaterial";
    const flat = lit && (material as THREE.MeshLambertMaterial).flatShading;
    const smoothLit = lit && !flat;
    const pipe = this.pipe;

    // Material state.
    pipe.depthTest = material.depthTest;
    pipe.depthWrite = material.depthWrite;
    pipe.colorWrite = material.colorWrite;
    pipe.alphaTest = material.alphaTest;
    pipe.opacity = material.opacity;
    pipe.scaleR = pipe.scaleG = pipe.scaleB = 1;
    if (lit) {
      const m = material as THREE.MeshLambertMaterial;
      pipe.emissiveR = m.emissive.r * m.emissiveIntensity;
      pipe.emissiveG = m.emissive.g * m.emissiveIntensity;
      pipe.emissiveB = m.emissive.b * m.emissiveIntensity;
    } else {
      pipe.emissiveR = pipe.emissiveG = pipe.emissiveB = 0;
    }
    pipe.fogMode = material.fog ? this.fogMode : FOG_NONE;
    const side = material.side;
    pipe.drawFront = side !== THREE.BackSide;
    pipe.drawBack = side !== THREE.FrontSide;
    const needFront = smoothLit && pipe.drawFront;
    const needBack = smoothLit && pipe.drawBack;
    pipe.frontColor = V_R;
    pipe.backColor = needBack ? V_RB : V_R;
    const map = material.map;
    if (map) {
      pipe.map = sampledTextureFor(map, mesh);
      if (map.matrixAutoUpdate) map.updateMatrix();
      const te = map.matrix.elements;
      for (let i = 0; i < 9; i++) this.uvMatrix[i] = te[i];
    } else {
      pipe.map = null;
    }
    const frontSign = mesh.matrixWorld.determinant() < 0 ? -1 : 1;

    // Geometry arrays.
    const pos = (geometry.attributes.position as THREE.BufferAttribute).array as Float32Array;
    const nor =
      smoothLit || flat ? ((geometry.attributes.normal as THREE.BufferAttribute | undefined)?.array as Float32Array | undefined) : undefined;
    const uvs = map ? ((geometry.attributes.uv as THREE.BufferAttribute).array as Float32Array) : undefined;
    const colAttr = material.vertexColors ? (geometry.attributes.color as THREE.BufferAttribute) : undefined;
    const cols = colAttr ? (colAttr.array as Float32Array) : undefined;
    const colSize = colAttr ? colAttr.itemSize : 0;
    const index = geometry.index ? geometry.index.array : null;
    const vertexCount = geometry.attributes.position.count;
    const primCount = index ? geometry.index!.count : vertexCount;
    const drawStart = Math.max(0, geometry.drawRange.start);
    const drawEnd = Math.min(primCount, drawStart + geometry.drawRange.count);
    const triStart = drawStart - (drawStart % 3);
    const triEnd = drawEnd - ((drawEnd - triStart) % 3);
    if (triEnd <= triStart) return;
    const vStart = index ? 0 : triStart,
      vEnd = index ? vertexCount : triEnd;
    if (this.verts.length < vertexCount * V_STRIDE) {
      this.verts = new Float32Array(vertexCount * V_STRIDE);
      this.outcodes = new Uint8Array(vertexCount);
      this.colored = new Uint8Array(vertexCount);
    }
    const verts = this.verts,
      outcodes = this.outcodes,
      colored = this.colored,
      clipper = this.clipper;
    this.shading.begin(this.lights, smoothLit, needFront, needBack, nor ?? null, cols ?? null, colSize, this.nrm);

    const instanced = (mesh as THREE.InstancedMesh).isInstancedMesh === true;
    const im = instanced ? (mesh as THREE.InstancedMesh) : null;
    const instanceCount = im ? im.count : 1;
    const instMatrices = im ? (im.instanceMatrix.array as Float32Array) : null;
    const instColors = im && im.instanceColor ? im.instanceColor.array : null;
    const bs = geometry.boundingSphere!;
    const mw = this.meshWorld;
    const mwe = mesh.matrixWorld.elements;
    for (let i = 0; i < 16; i++) mw[i] = mwe[i];
    const model = this.model,
      mvp = this.mvp,
      vp = this.viewProj,
      N = this.nrm,
      sph = this.sphere;
    const baseR = material.color.r,
      baseG = material.color.g,
      baseB = material.color.b;
    const bcx = bs.center.x,
      bcy = bs.center.y,
      bcz = bs.center.z;
    const sx2 = mw[0] * mw[0] + mw[1] * mw[1] + mw[2] * mw[2],
      sy2 = mw[4] * mw[4] + mw[5] * mw[5] + mw[6] * mw[6],
      sz2 = mw[8] * mw[8] + mw[9] * mw[9] + mw[10] * mw[10];
    const maxScaleWorld = Math.sqrt(Math.max(sx2, sy2, sz2));
    // The Frobenius norm bounds the stretch of any linear map (shears included), unlike the largest
    // axis scale three culls with; the inside test must be conservative.
    const boundWorld = Math.sqrt(sx2 + sy2 + sz2);

    // view-projection × world once per mesh; per instance only × instance matrix. The model and
    // normal matrices are needed only when a vertex gets lit, so they are made on demand.
    const vpmw = this.vpmw;
    mul4(vp, mw, vpmw);
    let normalsReady = false;
    let inside = false;
    if (!instMatrices) {
      for (let i = 0; i < 16; i++) mvp[i] = vpmw[i];
      for (let i = 0; i < 16; i++) model[i] = mw[i];
      normalMatrix(model, N);
      normalsReady = true;
    }
    for (let inst = 0; inst < instanceCount; inst++) {
      if (instMatrices) {
        // Per-instance culling before any per-instance matrix work: the geometry's bounding sphere
        // under instance then world transform (radius scaled by both maximum axis scales).
        const b = inst * 16,
          I = instMatrices;
        const ix = I[b] * bcx + I[b + 4] * bcy + I[b + 8] * bcz + I[b + 12];
        const iy = I[b + 1] * bcx + I[b + 5] * bcy + I[b + 9] * bcz + I[b + 13];
        const iz = I[b + 2] * bcx + I[b + 6] * bcy + I[b + 10] * bcz + I[b + 14];
        const cx = mw[0] * ix + mw[4] * iy + mw[8] * iz + mw[12];
        const cy = mw[1] * ix + mw[5] * iy + mw[9] * iz + mw[13];
        const cz = mw[2] * ix + mw[6] * iy + mw[10] * iz + mw[14];
        const ix2 = I[b] * I[b] + I[b + 1] * I[b + 1] + I[b + 2] * I[b + 2];
        const iy2 = I[b + 4] * I[b + 4] + I[b + 5] * I[b + 5] + I[b + 6] * I[b + 6];
        const iz2 = I[b + 8] * I[b + 8] + I[b + 9] * I[b + 9] + I[b + 10] * I[b + 10];
        sph[0] = cx;
        sph[1] = cy;
        sph[2] = cz;
        sph[3] = bs.radius * Math.sqrt(Math.max(ix2, iy2, iz2)) * maxScaleWorld;
        const cls = this.sphereClass(true, bs.radius * Math.sqrt(ix2 + iy2 + iz2) * boundWorld);
        if (cls === SPHERE_OUT) continue;
        inside = cls === SPHERE_INSIDE;
        mulInstance(vpmw, instMatrices, b, mvp);
        normalsReady = false;
      }
      let dr = baseR,
        dg = baseG,
        db = baseB;
      if (instColors) {
        dr *= instColors[inst * 3];
        dg *= instColors[inst * 3 + 1];
        db *= instColors[inst * 3 + 2];
      }

      if (inside) {
        if (!this.vertexStageInside(pos, vStart, vEnd)) continue;
      } else {
        this.vertexStage(pos, vStart, vEnd);
      }
      if (uvs) this.uvStage(uvs, vStart, vEnd);
      const shading = this.shading;
      shading.baseR = dr;
      shading.baseG = dg;
      shading.baseB = db;

      // Primitive stage. Most triangles of a distant field cover no pixel centre, so vertex colours
      // (lighting) are computed only for triangles that reach shading.
      for (let t = triStart; t < triEnd; t += 3) {
        const i0 = index ? index[t] : t,
          i1 = index ? index[t + 1] : t + 1,
          i2 = index ? index[t + 2] : t + 2;
        const c0 = outcodes[i0],
          c1 = outcodes[i1],
          c2 = outcodes[i2];
        if ((c0 & c1 & c2 & VIEW_VOLUME) !== 0) continue;
        const o0 = i0 * V_STRIDE,
          o1 = i1 * V_STRIDE,
          o2 = i2 * V_STRIDE;
        // Unclipped triangles are coverage-tested first so that culled ones skip lighting entirely.
        const clipped = ((c0 | c1 | c2) & NEEDS_CLIP) !== 0;
        const facing = clipped ? 0 : pipe.cover(verts, o0, o1, o2, frontSign);
        if (!clipped && facing === 0) continue;
        if (!normalsReady) {
          mulInstance(mw, instMatrices!, inst * 16, model);
          normalMatrix(model, N);
          normalsReady = true;
        }
        if (colored[i0] === 0) {
          shading.color(i0, verts);
          colored[i0] = 1;
        }
        if (colored[i1] === 0) {
          shading.color(i1, verts);
          colored[i1] = 1;
        }
        if (colored[i2] === 0) {
          shading.color(i2, verts);
          colored[i2] = 1;
        }
        if (flat) this.flatLighting(pos, i0, i1, i2, model, N);
        if (!clipped) {
          pipe.shade(verts, o0, o1, o2, facing);
          continue;
        }
        const n = clipper.clip(verts, o0, o1, o2);
        const out = clipper.out;
        for (let k = 1; k + 1 < n; k++) {
          const f = pipe.cover(out, 0, k * V_STRIDE, (k + 1) * V_STRIDE, frontSign);
          if (f !== 0) pipe.shade(out, 0, k * V_STRIDE, (k + 1) * V_STRIDE, f);
        }
      }
    }
  }

  /**
   * Position and clip codes of vertices [vStart, vEnd) under {@link mvp}; colours are left for
   * on-demand shading, uvs for {@link uvStage}. A separate method keeps this, the hottest loop,
   * small for the JIT.
   */
  private vertexStage(pos: Float32Array, vStart: number, vEnd: number): void {
    const verts = this.verts,
      outcodes = this.outcodes,
      colored = this.colored,
      clipper = this.clipper,
      mvp = this.mvp;
    for (let v = vStart; v < vEnd; v++) {
      const p = v * 3,
        o = v * V_STRIDE;
      const x = pos[p],
        y = pos[p + 1],
        z = pos[p + 2];
      verts[o + V_CX] = mvp[0] * x + mvp[4] * y + mvp[8] * z + mvp[12];
      verts[o + V_CY] = mvp[1] * x + mvp[5] * y + mvp[9] * z + mvp[13];
      verts[o + V_CZ] = mvp[2] * x + mvp[6] * y + mvp[10] * z + mvp[14];
      verts[o + V_CW] = mvp[3] * x + mvp[7] * y + mvp[11] * z + mvp[15];
      const code = clipper.outcode(verts, o);
      outcodes[v] = code;
      if ((code & NEEDS_CLIP) === 0) clipper.project(verts, o);
      colored[v] = 0;
    }
  }

  /**
   * {@link vertexStage} for vertices known to lie inside the view volume: their clip codes are 0 and
   * only the clipper would read clip coordinates, so just the projection is computed (with the
   * matrix in registers and the same single-precision rounding as the clip-space path, so the
   * snapped positions are identical). Returns false when the vertices' screen box holds no pixel
   * centre (a distant plant often falls between centres), so no triangle of them covers a pixel.
   */
  private vertexStageInside(pos: Float32Array, vStart: number, vEnd: number): boolean {
    const verts = this.verts,
      outcodes = this.outcodes,
      colored = this.colored,
      M = this.mvp;
    const a0 = M[0],
      a1 = M[1],
      a3 = M[3],
      a4 = M[4],
      a5 = M[5],
      a7 = M[7];
    const a8 = M[8],
      a9 = M[9],
      a11 = M[11],
      a12 = M[12],
      a13 = M[13],
      a15 = M[15];
    const xScale = this.width * SUBPIXEL,
      yScale = this.height * SUBPIXEL;
    let minX = 0x7fffffff,
      maxX = -0x7fffffff,
      minY = 0x7fffffff,
      maxY = -0x7fffffff;
    for (let v = vStart; v < vEnd; v++) {
      const p = v * 3,
        o = v * V_STRIDE;
      const x = pos[p],
        y = pos[p + 1],
        z = pos[p + 2];
      const cx = Math.fround(a0 * x + a4 * y + a8 * z + a12);
      const cy = Math.fround(a1 * x + a5 * y + a9 * z + a13);
      const q = 1 / Math.fround(a3 * x + a7 * y + a11 * z + a15);
      const sx = Math.round((cx * q * 0.5 + 0.5) * xScale);
      const sy = Math.round((0.5 - cy * q * 0.5) * yScale);
      verts[o + V_Q] = q;
      verts[o + V_SX] = sx;
      verts[o + V_SY] = sy;
      outcodes[v] = 0;
      colored[v] = 0;
      if (sx < minX) minX = sx;
      if (sx > maxX) maxX = sx;
      if (sy < minY) minY = sy;
      if (sy > maxY) maxY = sy;
    }
    return boxHasPixelCentre(minX, maxX, minY, maxY);
  }

  /** Texture coordinates of vertices [vStart, vEnd) through {@link uvMatrix} (the texture's own transform). */
  private uvStage(uvs: Float32Array, vStart: number, vEnd: number): void {
    const verts = this.verts;
    const T = this.uvMatrix;
    const m0 = T[0],
      m1 = T[1],
      m3 = T[3],
      m4 = T[4],
      m6 = T[6],
      m7 = T[7];
    for (let v = vStart; v < vEnd; v++) {
      const t = v * 2,
        o = v * V_STRIDE;
      const u = uvs[t],
        w = uvs[t + 1];
      verts[o + V_U] = m0 * u + m3 * w + m6;
      verts[o + V_V] = m1 * u + m4 * w + m7;
    }
  }

  /**
   * three's flat shading: the face normal from screen-space derivatives, which always faces the
   * camera. Sets the pipeline's per-triangle colour scale to irradiance/π for that normal.
   */
  private flatLighting(pos: Float32Array, i0: number, i1: number, i2: number, model: Float64Array, N: Float64Array): void {
    const a = i0 * 3,
      b = i1 * 3,
      c = i2 * 3;
    const ux = pos[b] - pos[a],
      uy = pos[b + 1] - pos[a + 1],
      uz = pos[b + 2] - pos[a + 2];
    const vx = pos[c] - pos[a],
      vy = pos[c + 1] - pos[a + 1],
      vz = pos[c + 2] - pos[a + 2];
    const fx = uy * vz - uz * vy,
      fy = uz * vx - ux * vz,
      fz = ux * vy - uy * vx;
    let nx = N[0] * fx + N[3] * fy + N[6] * fz;
    let ny = N[1] * fx + N[4] * fy + N[7] * fz;
    let nz = N[2] * fx + N[5] * fy + N[8] * fz;
    const px = model[0] * pos[a] + model[4] * pos[a + 1] + model[8] * pos[a + 2] + model[12];
    const py = model[1] * pos[a] + model[5] * pos[a + 1] + model[9] * pos[a + 2] + model[13];
    const pz = model[2] * pos[a] + model[6] * pos[a + 1] + model[10] * pos[a + 2] + model[14];
    const toward = nx * (this.camX - px) + ny * (this.camY - py) + nz * (this.camZ - pz);
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    const inv = len > 0 ? (toward < 0 ? -1 : 1) / len : 0;
    nx *= inv;
    ny *= inv;
    nz *= inv;
    const irr = this.irr;
    irr[0] = nx;
    irr[1] = ny;
    irr[2] = nz;
    this.lights.irradianceOverPi(irr);
    this.pipe.scaleR = irr[0];
    this.pipe.scaleG = irr[1];
    this.pipe.scaleB = irr[2];
  }
}

function compareItems(a: RenderItem, b: RenderItem): number {
  if (a.groupOrder !== b.groupOrder) return a.groupOrder - b.groupOrder;
  if (a.mesh.renderOrder !== b.mesh.renderOrder) return a.mesh.renderOrder - b.mesh.renderOrder;
  if (a.material.id !== b.material.id) return a.material.id - b.material.id;
  if (a.z !== b.z) return a.z - b.z;
  return a.mesh.id - b.mesh.id;
}

/** out = a × b for column-major 4×4 matrices. */
function mul4(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let col = 0; col < 4; col++) {
    const b0 = b[col * 4],
      b1 = b[col * 4 + 1],
      b2 = b[col * 4 + 2],
      b3 = b[col * 4 + 3];
    out[col * 4] = a[0] * b0 + a[4] * b1 + a[8] * b2 + a[12] * b3;
    out[col * 4 + 1] = a[1] * b0 + a[5] * b1 + a[9] * b2 + a[13] * b3;
    out[col * 4 + 2] = a[2] * b0 + a[6] * b1 + a[10] * b2 + a[14] * b3;
    out[col * 4 + 3] = a[3] * b0 + a[7] * b1 + a[11] * b2 + a[15] * b3;
  }
}

/** out = a × (instance matrix at `b[bo..bo+15]`), column-major. */
function mulInstance(a: Float64Array, b: Float32Array, bo: number, out: Float64Array): void {
  for (let col = 0; col < 4; col++) {
    const k = bo + col * 4;
    const b0 = b[k],
      b1 = b[k + 1],
      b2 = b[k + 2],
      b3 = b[k + 3];
    out[col * 4] = a[0] * b0 + a[4] * b1 + a[8] * b2 + a[12] * b3;
    out[col * 4 + 1] = a[1] * b0 + a[5] * b1 + a[9] * b2 + a[13] * b3;
    out[col * 4 + 2] = a[2] * b0 + a[6] * b1 + a[10] * b2 + a[14] * b3;
    out[col * 4 + 3] = a[3] * b0 + a[7] * b1 + a[11] * b2 + a[15] * b3;
  }
}

/** Inverse transpose of the upper 3×3 of column-major `m`, column-major into `out`. */
function normalMatrix(m: Float64Array, out: Float64Array): void {
  const a = m[0],
    b = m[1],
    c = m[2],
    d = m[4],
    e = m[5],
    f = m[6],
    g = m[8],
    h = m[9],
    i = m[10];
  // Cofactors of the 3×3 with columns (a,b,c), (d,e,f), (g,h,i), laid out column-major; cofactor matrix = det · inverse-transpose.
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const D = -(b * i - c * h),
    E = a * i - c * g,
    F = -(a * h - b * g);
  const G = b * f - c * e,
    H = -(a * f - c * d),
    I = a * e - b * d;
  const det = a * A + d * D + g * G;
  const k = det !== 0 ? 1 / det : 0;
  out[0] = A * k;
  out[1] = B * k;
  out[2] = C * k;
  out[3] = D * k;
  out[4] = E * k;
  out[5] = F * k;
  out[6] = G * k;
  out[7] = H * k;
  out[8] = I * k;
}
