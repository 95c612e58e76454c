import * as THREE from "three";

/**
 * Loud rejection of three.js features the software renderer does not implement. Each check throws
 * an Error naming the object and the feature, so a scene never renders silently wrong.
 */

/** Human-readable name of an object for error messages. */
export function describe(object: THREE.Object3D): string {
  return `${object.type} "${object.name || object.uuid}"`;
}

function fail(where: string, what: string): never {
  throw new Error(`SoftwareRenderer: ${where}: ${what}`);
}

/** Reject scene-level features: background other than a Color, override material. */
export function checkScene(scene: THREE.Scene): void {
  const bg = scene.background as unknown;
  if (bg !== null && !(bg as THREE.Color).isColor)
    fail(`scene "${scene.name}"`, "background must be a THREE.Color or null (textures/cube maps are not supported)");
  if (scene.overrideMaterial !== null) fail(`scene "${scene.name}"`, "overrideMaterial is not supported");
  const fog = scene.fog as unknown as { isFog?: boolean; isFogExp2?: boolean } | null;
  if (fog !== null && !fog.isFog && !fog.isFogExp2) fail(`scene "${scene.name}"`, "fog must be THREE.Fog or THREE.FogExp2");
}

/** Reject lights other than ambient, hemisphere and directional, and any shadow casting. */
export function checkLight(light: THREE.Light): void {
  const ok =
    (light as THREE.AmbientLight).isAmbientLight ||
    (light as THREE.HemisphereLight).isHemisphereLight ||
    (light as THREE.DirectionalLight).isDirectionalLight;
  if (!ok) fail(describe(light), "only AmbientLight, HemisphereLight and DirectionalLight are supported");
  if (light.castShadow) fail(describe(light), "castShadow = true, but shadows are not supported");
}

/** Reject drawable objects other than plain Mesh/InstancedMesh (lines, points, sprites, skinned/batched meshes, LOD). */
export function checkDrawable(object: THREE.Object3D): void {
  const o = object as unknown as Record<string, unknown>;
  if (o.isLine || o.isPoints || o.isSprite || o.isLOD) fail(describe(object), "only Mesh and InstancedMesh can be rendered");
  if (o.isSkinnedMesh || o.isBatchedMesh) fail(describe(object), "skinned and batched meshes are not supported");
}

const UNSUPPORTED_MAPS = [
  "alphaMap",
  "aoMap",
  "lightMap",
  "emissiveMap",
  "specularMap",
  "envMap",
  "bumpMap",
  "normalMap",
  "displacementMap",
  "matcap",
  "gradientMap",
  "roughnessMap",
  "metalnessMap",
] as const;

/**
 * Reject materials other than opaque MeshLambertMaterial/MeshBasicMaterial and their unsupported
 * options. Runs for every drawn object every frame, so messages are only built on failure.
 */
export function checkMaterial(material: THREE.Material, owner: THREE.Object3D): void {
  const at = (what: string): never => fail(`${describe(owner)}, material "${material.name || material.uuid}"`, what);
  if (material.type !== "MeshLambertMaterial" && material.type !== "MeshBasicMaterial") {
    at(`${material.type} is not supported (use MeshLambertMaterial or MeshBasicMaterial)`);
  }
  if (material.transparent) at("transparent = true is not supported (opaque rendering only; alphaTest works)");
  if (material.blending !== THREE.NormalBlending && material.blending !== THREE.NoBlending)
    at(`blending mode ${material.blending} is not supported`);
  if (material.depthFunc !== THREE.LessEqualDepth) at(`depthFunc ${material.depthFunc} is not supported (only LessEqualDepth)`);
  if (material.polygonOffset) at("polygonOffset is not supported");
  if (material.clippingPlanes !== null && material.clippingPlanes.length > 0) at("clipping planes are not supported");
  if (material.alphaToCoverage) at("alphaToCoverage is not supported");
  if (material.alphaHash) at("alphaHash is not supported");
  const m = material as unknown as Record<string, unknown>;
  if (m.wireframe) at("wireframe is not supported");
  for (let i = 0; i < UNSUPPORTED_MAPS.length; i++) {
    const key = UNSUPPORTED_MAPS[i];
    if (m[key] !== undefined && m[key] !== null) at(`${key} is not supported`);
  }
}

/** Reject geometry layouts the vertex stage cannot read for this material. */
export function checkGeometry(mesh: THREE.Mesh, material: THREE.MeshLambertMaterial | THREE.MeshBasicMaterial): void {
  const geometry = mesh.geometry;
  if (!geometry || !geometry.isBufferGeometry) fail(describe(mesh), "geometry must be a BufferGeometry");
  checkAttribute(mesh, "position", 3, 3);
  if (material.type === "MeshLambertMaterial" && !(material as THREE.MeshLambertMaterial).flatShading) checkAttribute(mesh, "normal", 3, 3);
  if (material.map) checkAttribute(mesh, "uv", 2, 2);
  if (material.vertexColors) {
    checkAttribute(mesh, "color", 3, 4);
    if (geometry.attributes.color.itemSize === 4 && material.alphaTest > 0)
      fail(describe(mesh), "per-vertex alpha (RGBA colors) with alphaTest is not supported");
  }
  const morph = geometry.morphAttributes as Record<string, unknown[]>;
  for (const key in morph) {
    if (morph[key].length > 0) fail(describe(mesh), "morph targets are not supported");
  }
  if (Array.isArray(mesh.material)) fail(describe(mesh), "multi-material meshes (material arrays with geometry groups) are not supported");
  if ((mesh as THREE.InstancedMesh).isInstancedMesh) {
    const im = mesh as THREE.InstancedMesh;
    if (im.morphTexture !== null) fail(describe(mesh), "instanced morph textures are not supported");
    if (im.instanceColor !== null && im.instanceColor.itemSize !== 3) fail(describe(mesh), "instanceColor must have itemSize 3");
  }
}

function checkAttribute(mesh: THREE.Mesh, name: string, minSize: number, maxSize: number): void {
  const a = mesh.geometry.attributes[name] as THREE.BufferAttribute | THREE.InterleavedBufferAttribute | undefined;
  if (!a) fail(describe(mesh), `geometry has no "${name}" attribute (needed by the material)`);
  if ((a as THREE.InterleavedBufferAttribute).isInterleavedBufferAttribute)
    fail(describe(mesh), `interleaved attribute "${name}" is not supported`);
  if (a.itemSize < minSize || a.itemSize > maxSize) {
    fail(
      describe(mesh),
      `attribute "${name}" has itemSize ${a.itemSize}, expected ${minSize === maxSize ? minSize : `${minSize} to ${maxSize}`}`,
    );
  }
  if (a.normalized || !(a.array instanceof Float32Array)) fail(describe(mesh), `attribute "${name}" must be a non-normalized Float32Array`);
}
