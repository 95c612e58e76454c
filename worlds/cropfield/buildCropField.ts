import { Color, type Mesh } from "three";
import type { Random } from "../../common/index.ts";
import type { CropFieldWorld, Obstacle, RowFrame } from "../BuiltWorld.ts";
import { wrapAngle, type Pose2D } from "../Pose2D.ts";
import { SegmentPath, type PathPoint, type PathProjection, type PathSegment } from "../path/SegmentPath.ts";
import { createEnvironmentScene } from "../scene/environment.ts";
import { groundPlane, pathBounds } from "../scene/groundPlane.ts";
import { noiseTexture } from "../scene/noiseTexture.ts";
import type { CropFieldPreset } from "../WorldPreset.ts";
import { buildPlantMeshes, emptyPlantInstances, LEAF_SHADES } from "./plantMeshes.ts";

/** Length (m) of field stretch grouped into one set of instanced meshes. */
const CHUNK_LENGTH = 5;
/** Leaves per plant always drawn (the lower, longer ones); the rest are detail. */
const MAIN_LEAVES = 3;
/** Detail meshes are drawn only when their chunk is within this distance (m) of the viewer. */
const DETAIL_DISTANCE = 8;
/** Metres of soil covered by one texture tile. */
const SOIL_TILE = 1.5;

/**
 * Generates a crop field: `rows.count` plant rows parallel to a centreline
 * path (straight, or straight then arc), the robot's start lane centred on the
 * path between the two central rows. Rows sit at lateral offsets
 * `(i − ⌊count/2⌋ + ½)·spacing`, so offset 0 is a lane centre.
 */
export function buildCropField(preset: CropFieldPreset, rng: Random): CropFieldWorld {
  const { rows, plants, weeds } = preset;
  const path = new SegmentPath(rowSegments(preset));
  const spacing = rows.spacing;
  const centre = Math.floor(rows.count / 2);
  const offsets = Array.from({ length: rows.count }, (_, i) => (i - centre + 0.5) * spacing);

  const plantRng = rng.fork("plants");
  const obstacles: Obstacle[] = [];
  const inst = emptyPlantInstances();
  const pt: PathPoint = { x: 0, y: 0, yaw: 0, curvature: 0 };

  for (const off of offsets) {
    let gapLeft = 0;
    for (let s = plantRng.uniform(0, plants.spacing); s < path.length;) {
      // On an arc the row's own arc length differs from the centreline's by (1 − κ·offset).
      const stretch = 1 - path.curvatureAt(s) * off;
      const here = s + plantRng.uniform(-plants.spacingJitter, plants.spacingJitter) / stretch;
      s += plants.spacing / stretch;
      if (gapLeft > 0) {
        gapLeft--;
        continue;
      }
      if (plants.gapProbability > 0 && plantRng.chance(plants.gapProbability)) {
        gapLeft = plantRng.int(1, plants.gapMaxPlants) - 1;
        continue;
      }
      if (here < 0 || here > path.length) continue;
      path.sample(here, off + plantRng.uniform(-plants.lateralJitter, plants.lateralJitter), pt);
      const height = Math.max(0.1, plants.height + plantRng.uniform(-plants.heightJitter, plants.heightJitter));
      const chunk = Math.floor(here / CHUNK_LENGTH);
      obstacles.push({ id: obstacles.length, kind: "plant", x: pt.x, y: pt.y, radius: plants.stemRadius, height });
      inst.stemX.push(pt.x);
      inst.stemY.push(pt.y);
      inst.stemHeight.push(height);
      inst.stemRadius.push(plants.stemRadius * 1.3);
      inst.stemChunk.push(chunk);
      const nLeaves = plantRng.int(plants.leaves[0], plants.leaves[1]);
      const yaw0 = plantRng.uniform(0, 2 * Math.PI);
      for (let k = 0; k < nLeaves; k++) {
        // Corn leaves alternate sides up the stalk, each pair rotated a little.
        const f = (k + 1) / (nLeaves + 1);
        inst.leafX.push(pt.x);
        inst.leafY.push(pt.y);
        inst.leafZ.push(height * (0.2 + 0.7 * f));
        inst.leafYaw.push(yaw0 + k * Math.PI + plantRng.uniform(-0.5, 0.5));
        inst.leafPitch.push(0.35 + plantRng.uniform(-plants.leafAngleJitter, plants.leafAngleJitter));
        inst.leafLength.push(plants.leafLength * (1.15 - 0.5 * f) * plantRng.uniform(0.8, 1.2));
        inst.leafShade.push(plantRng.int(0, LEAF_SHADES.length - 1));
        inst.leafChunk.push(chunk);
        inst.leafDetail.push(k >= MAIN_LEAVES);
      }
    }
  }

  const weedRng = rng.fork("weeds");
  if (weeds.perMeter > 0) {
    for (const off of offsets) {
      const n = Math.round(weeds.perMeter * path.length);
      for (let w = 0; w < n; w++) {
        const s = weedRng.uniform(0, path.length);
        const side = weedRng.chance(0.5) ? 1 : -1;
        path.sample(s, off + side * weedRng.uniform(0.03, Math.max(0.03, weeds.maxOffset)), pt);
        const h = weeds.height * weedRng.uniform(0.6, 1.3);
        obstacles.push({ id: obstacles.length, kind: "weed", x: pt.x, y: pt.y, radius: 0.02, height: h });
        const nLeaves = weedRng.int(3, 5);
        const yaw0 = weedRng.uniform(0, 2 * Math.PI);
        for (let k = 0; k < nLeaves; k++) {
          inst.leafX.push(pt.x);
          inst.leafY.push(pt.y);
          inst.leafZ.push(0.01);
          inst.leafYaw.push(yaw0 + (k * 2 * Math.PI) / nLeaves);
          inst.leafPitch.push(weedRng.uniform(0.4, 0.9));
          inst.leafLength.push(h * 1.6);
          inst.leafShade.push(0);
          inst.leafChunk.push(Math.floor(s / CHUNK_LENGTH));
          inst.leafDetail.push(true);
        }
      }
    }
  }

  const envRng = rng.fork("environment");
  const soil = new Color(preset.soilColor);
  const { scene } = createEnvironmentScene(preset.environment, envRng, soil);
  scene.add(soilPlane(preset, path, offsets, rng.fork("soil")));
  const plantMeshes = buildPlantMeshes(inst);
  scene.add(plantMeshes.group);
  // A detail leaf beyond DETAIL_DISTANCE covers well under a pixel at the camera resolutions used; skipping
  // those meshes roughly halves the triangles per frame.
  const setViewpoint = (x: number, y: number): void => {
    for (const mesh of plantMeshes.detail) {
      const b = mesh.boundingSphere!;
      mesh.visible = Math.hypot(b.center.x - x, b.center.y - y) - b.radius < DETAIL_DISTANCE;
    }
  };

  path.sample(preset.startOffset, 0, pt);
  const startPose: Pose2D = { x: pt.x, y: pt.y, yaw: pt.yaw };

  const proj: PathProjection = { s: 0, lateral: 0, yaw: 0, curvature: 0 };
  const minLane = 1 - centre;
  const maxLane = rows.count - 1 - centre;
  const rowFrame = (pose: Pose2D): RowFrame => {
    path.project(pose.x, pose.y, proj);
    // Lane k is centred at k·spacing, between rows at (k ∓ ½)·spacing; outside the field use the outermost lane.
    let k = Math.floor(proj.lateral / spacing + 0.5);
    k = k < minLane ? minLane : k > maxLane ? maxLane : k;
    const dLeft = (k + 0.5) * spacing - proj.lateral;
    const dRight = proj.lateral - (k - 0.5) * spacing;
    return {
      heading: wrapAngle(pose.yaw - proj.yaw),
      dLeft,
      dRight,
      distanceRatio: dLeft / (dLeft + dRight),
      s: proj.s,
      length: path.length,
    };
  };

  const progress = (pose: Pose2D) => {
    path.project(pose.x, pose.y, proj);
    return { s: proj.s, length: path.length };
  };

  const poseAt = (s: number, lateral: number, heading: number): Pose2D => {
    path.sample(s, lateral, pt);
    return { x: pt.x, y: pt.y, yaw: wrapAngle(pt.yaw + heading) };
  };

  return { kind: "cropfield", preset, scene, obstacles, startPose, rowFrame, progress, poseAt, setViewpoint };
}

function rowSegments(preset: CropFieldPreset): PathSegment[] {
  const { length, curve } = preset.rows;
  if (!curve) return [{ length, curvature: 0 }];
  const k = (curve.turn === "left" ? 1 : -1) / curve.radius;
  const segs: PathSegment[] = [];
  if (curve.straightBefore > 0) segs.push({ length: curve.straightBefore, curvature: 0 });
  segs.push({ length: length - curve.straightBefore, curvature: k });
  return segs;
}

/** Textured soil rectangle covering the field plus a 20 m margin. */
function soilPlane(preset: CropFieldPreset, path: SegmentPath, offsets: number[], rng: Random): Mesh {
  const bounds = pathBounds(path, 0, path.length, 1, [offsets[0], offsets[offsets.length - 1]]);
  return groundPlane(bounds, 20, SOIL_TILE, noiseTexture(preset.soilColor, 128, rng, 0.35, 60), "soil");
}
