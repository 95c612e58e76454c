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
  if (bg !== null && !(bg as THREE.Color).isColor) fail(`scene "${scene.name}"`, "background must be a THREE.Color or null (textures/cube maps are not supported)");
  if (scene.overrideMaterial !== null) fail(`scene "${scene.name}"`, "overrideMaterial is not supported");
  const fog = scene.fog as unknown as { isFog?: boolean; isFogExp2?: boolean } | null;
  if (fog !== null && !fog.isFog && !fog.isFogExp2) fail(`scene "${scene.name}"`, "fog must be THREE.Fog or THREE.FogExp2");
}

/** Reject lights other than ambient, hemisphere and directional, and any shadow casting. */
export function checkLight(light: THREE.Light): void {
  const ok = (light as THREE.AmbientLight).isAmbientLight || (light as THREE.HemisphereLight).isHemisphereLight || (light as THREE.DirectionalLight).isDirectionalLight;
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
  "alphaMap", "aoMap", "lightMap", "emissiveMap", "specularMap", "envMap", "bumpMap", "normalMap", "displacementMap",
  "matcap", "gradientMap", "roughnessMap", "metalnessMap",
] as const;

/** Reject materials other than opaque MeshLambertMaterial/MeshBasicMaterial and their unsupported options. */
export function checkMaterial(material: THREE.Material, where: string): void {
  const at = `${where}, material "${material.name || material.uuid}"`;
  if (material.type !== "MeshLambertMaterial" && material.type !== "MeshBasicMaterial") {
    fail(at, `${material.type} is not supported (use MeshLambertMaterial or MeshBasicMaterial)`);
  }
  if (material.transparent) fail(at, "transparent = true is not supported (opaque rendering only; alphaTest works)");
  if (material.blending !== THREE.NormalBlending && material.blending !== THREE.NoBlending) fail(at, `blending mode ${material.blending} is not supported`);
  if (material.depthFunc !== THREE.LessEqualDepth) fail(at, `depthFunc ${material.depthFunc} is not supported (only LessEqualDepth)`);
  if (material.polygonOffset) fail(at, "polygonOffset is not supported");
  if (material.clippingPlanes !== null && material.clippingPlanes.length > 0) fail(at, "clipping planes are not supported");
  if (material.alphaToCoverage) fail(at, "alphaToCoverage is not supported");
  if (material.alphaHash) fail(at, "alphaHash is not supported");
  const m = material as unknown as Record<string, unknown>;
  if (m.wireframe) fail(at, "wireframe is not supported");
  for (const key of UNSUPPORTED_MAPS) if (m[key] !== undefined && m[key] !== null) fail(at, `${key} is not supported`);
}

/** Reject geometry layouts the vertex stage cannot read for this material. */
export function checkGeometry(mesh: THREE.Mesh, material: THREE.MeshLambertMaterial | THREE.MeshBasicMaterial, where: string): void {
  const geometry = mesh.geometry;
  if (!geometry || !geometry.isBufferGeometry) fail(where, "geometry must be a BufferGeometry");
  const position = geometry.attributes.position as THREE.BufferAttribute | THREE.InterleavedBufferAttribute | undefined;
  if (!position) fail(where, "geometry has no position attribute");
  const attrs: [string, number[]][] = [["position", [3]]];
  if (material.type === "MeshLambertMaterial" && !(material as THREE.MeshLambertMaterial).flatShading) attrs.push(["normal", [3]]);
  if (material.map) attrs.push(["uv", [2]]);
  if (material.vertexColors) attrs.push(["color", [3, 4]]);
  for (const [name, sizes] of attrs) {
    const a = geometry.attributes[name] as THREE.BufferAttribute | THREE.InterleavedBufferAttribute | undefined;
    if (!a) fail(where, `geometry has no "${name}" attribute (needed by the material)`);
    if ((a as THREE.InterleavedBufferAttribute).isInterleavedBufferAttribute) fail(where, `interleaved attribute "${name}" is not supported`);
    if (!sizes.includes(a.itemSize)) fail(where, `attribute "${name}" has itemSize ${a.itemSize}, expected ${sizes.join(" or ")}`);
    if (a.normalized || !(a.array instanceof Float32Array)) fail(where, `attribute "${name}" must be a non-normalized Float32Array`);
  }
  for (const key of Object.keys(geometry.morphAttributes)) {
    if ((geometry.morphAttributes as Record<string, unknown[]>)[key].length > 0) fail(where, "morph targets are not supported");
  }
  if (Array.isArray(mesh.material)) fail(where, "multi-material meshes (material arrays with geometry groups) are not supported");
  if ((mesh as THREE.InstancedMesh).isInstancedMesh) {
    const im = mesh as THREE.InstancedMesh;
    if (im.morphTexture !== null) fail(where, "instanced morph textures are not supported");
    if (im.instanceColor !== null && im.instanceColor.itemSize !== 3) fail(where, "instanceColor must have itemSize 3");
  }
}
