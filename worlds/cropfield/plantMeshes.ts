import {
  BufferAttribute,
  BufferGeometry,
  Color,
  DoubleSide,
  Euler,
  Group,
  InstancedMesh,
  Matrix4,
  MeshLambertMaterial,
  Quaternion,
  Vector3,
} from "three";
import { prismGeometry } from "../scene/prismGeometry.ts";

/**
 * Instance data for all plants and weeds, structure-of-arrays. A leaf belongs
 * to a chunk (a stretch of the field) so that each chunk is one set of
 * instanced meshes with a tight bounding sphere the renderer can cull.
 */
export interface PlantInstances {
  /** Stems: base position (m), height (m), visual radius (m), chunk index. */
  stemX: number[];
  stemY: number[];
  stemHeight: number[];
  stemRadius: number[];
  stemChunk: number[];
  /** Leaves: attachment point (m), azimuth (rad), pitch above horizontal (rad), length (m), shade index, chunk. */
  leafX: number[];
  leafY: number[];
  leafZ: number[];
  leafYaw: number[];
  leafPitch: number[];
  leafLength: number[];
  leafShade: number[];
  leafChunk: number[];
  /** Small detail (upper leaves, weed leaves): drawn only near the viewer, see {@link PlantMeshes.detail}. */
  leafDetail: boolean[];
}

/** The plant meshes and the subset that carries only fine detail. */
export interface PlantMeshes {
  group: Group;
  /** Meshes of detail leaves, one per chunk and shade; hide them when their chunk is far from the viewer. */
  detail: InstancedMesh[];
}

/** Empty {@link PlantInstances}. */
export function emptyPlantInstances(): PlantInstances {
  return {
    stemX: [],
    stemY: [],
    stemHeight: [],
    stemRadius: [],
    stemChunk: [],
    leafX: [],
    leafY: [],
    leafZ: [],
    leafYaw: [],
    leafPitch: [],
    leafLength: [],
    leafShade: [],
    leafChunk: [],
    leafDetail: [],
  };
}

/** Leaf material colours (sRGB): dark, mid, light green; index = shade. */
export const LEAF_SHADES = ["#2f6b1f", "#3f8a2a", "#5a9e34"] as const;
const STEM_COLOR = "#7a9a3a";

/**
 * Builds the low-poly plant meshes: per chunk one stem `InstancedMesh`
 * (tapered triangular prism) and one leaf `InstancedMesh` per shade (an
 * arched, tapering blade with a darker base via vertex colours).
 */
export function buildPlantMeshes(p: PlantInstances): PlantMeshes {
  const group = new Group();
  group.name = "plants";
  const stemGeo = prismGeometry(3, 0.6); // tapered triangular stem
  const leafGeo = leafGeometry();
  const stemMat = new MeshLambertMaterial({ color: new Color(STEM_COLOR) });
  const leafMats = LEAF_SHADES.map((c) => new MeshLambertMaterial({ color: new Color(c), vertexColors: true, side: DoubleSide }));

  const m = new Matrix4();
  const q = new Quaternion();
  const e = new Euler(0, 0, 0, "ZYX");
  const pos = new Vector3();
  const scl = new Vector3();

  // A loop, not Math.max(...arr): spreading ~10⁵ plants overflows the call stack.
  let nChunks = 1;
  for (const c of p.stemChunk) if (c >= nChunks) nChunks = c + 1;
  for (const c of p.leafChunk) if (c >= nChunks) nChunks = c + 1;
  const stemsBy = bucket(p.stemChunk, nChunks);
  // Buckets by [detail][shade][chunk].
  const leavesBy: number[][][][] = [0, 1].map(() => LEAF_SHADES.map(() => Array.from({ length: nChunks }, () => [] as number[])));
  p.leafChunk.forEach((c, i) => leavesBy[p.leafDetail[i] ? 1 : 0][p.leafShade[i]][c].push(i));
  const detail: InstancedMesh[] = [];

  for (let c = 0; c < nChunks; c++) {
    const stems = stemsBy[c];
    if (stems.length > 0) {
      const mesh = new InstancedMesh(stemGeo, stemMat, stems.length);
      mesh.name = `stems-${c}`;
      stems.forEach((i, k) => {
        pos.set(p.stemX[i], p.stemY[i], 0);
        scl.set(p.stemRadius[i], p.stemRadius[i], p.stemHeight[i]);
        mesh.setMatrixAt(k, m.compose(pos, q.identity(), scl));
      });
      mesh.computeBoundingSphere();
      group.add(mesh);
    }
    for (let d = 0; d < 2; d++)
      for (let shade = 0; shade < LEAF_SHADES.length; shade++) {
        const leaves = leavesBy[d][shade][c];
        if (leaves.length === 0) continue;
        const mesh = new InstancedMesh(leafGeo, leafMats[shade], leaves.length);
        mesh.name = `leaves-${d ? "detail-" : ""}${shade}-${c}`;
        if (d) detail.push(mesh);
        leaves.forEach((i, k) => {
          pos.set(p.leafX[i], p.leafY[i], p.leafZ[i]);
          e.set(0, -p.leafPitch[i], p.leafYaw[i], "ZYX");
          q.setFromEuler(e);
          const L = p.leafLength[i];
          scl.set(L, L, L);
          mesh.setMatrixAt(k, m.compose(pos, q, scl));
        });
        mesh.computeBoundingSphere();
        group.add(mesh);
      }
  }
  return { group, detail };
}

function bucket(chunkOf: number[], n: number): number[][] {
  const out = Array.from({ length: n }, () => [] as number[]);
  chunkOf.forEach((c, i) => out[c].push(i));
  return out;
}

/**
 * Unit leaf blade along +X: rises then droops, widest in the middle, tip a
 * single vertex. Vertex colours darken the base so leaves read as layered.
 */
function leafGeometry(): BufferGeometry {
  const stations = [0, 0.5];
  const pos: number[] = [];
  const col: number[] = [];
  for (const t of stations) {
    const z = 0.45 * t - 0.55 * t * t;
    const w = 0.025 + 0.06 * Math.sin(Math.PI * Math.min(t + 0.1, 1));
    const shade = 0.7 + 0.3 * t;
    pos.push(t, -w, z, t, w, z);
    col.push(shade, shade, shade, shade, shade, shade);
  }
  pos.push(1, 0, 0.45 - 0.55);
  col.push(1, 1, 1);
  const idx: number[] = [];
  for (let k = 0; k < stations.length - 1; k++) {
    const a = 2 * k;
    idx.push(a, a + 2, a + 1, a + 1, a + 2, a + 3);
  }
  const tip = 2 * stations.length;
  idx.push(tip - 2, tip, tip - 1);
  const g = new BufferGeometry();
  g.setAttribute("position", new BufferAttribute(new Float32Array(pos), 3));
  g.setAttribute("color", new BufferAttribute(new Float32Array(col), 3));
  g.setIndex(idx);
  g.computeVertexNormals();
  return g;
}
