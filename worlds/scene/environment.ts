import { AmbientLight, Color, DirectionalLight, Fog, HemisphereLight, Scene } from "three";
import type { Random } from "../../common/index.ts";
import type { EnvironmentPreset } from "../WorldPreset.ts";

/** Drawn lighting of one world (for tests and summaries). */
export interface EnvironmentSample {
  sunElevationDeg: number;
  sunAzimuthDeg: number;
  skyColor: Color;
}

/**
 * Creates a Z-up scene with sky background, fog (sky-coloured) and ambient,
 * hemisphere and sun lights drawn from the preset's ranges.
 * @param groundColor hemisphere light's ground colour (bounce from soil/grass).
 */
export function createEnvironmentScene(env: EnvironmentPreset, rng: Random, groundColor: Color): { scene: Scene; sample: EnvironmentSample } {
  const scene = new Scene();
  const sky = new Color(env.skyColor);
  sky.r = clamp01(sky.r + rng.uniform(-env.skyJitter, env.skyJitter));
  sky.g = clamp01(sky.g + rng.uniform(-env.skyJitter, env.skyJitter));
  sky.b = clamp01(sky.b + rng.uniform(-env.skyJitter, env.skyJitter));
  scene.background = sky;
  scene.fog = new Fog(sky.clone(), env.fogNear, env.fogFar);

  const elevation = rng.uniform(env.sunElevationDeg[0], env.sunElevationDeg[1]);
  const azimuth = rng.uniform(env.sunAzimuthDeg[0], env.sunAzimuthDeg[1]);
  const el = (elevation * Math.PI) / 180;
  const az = (azimuth * Math.PI) / 180;

  scene.add(new AmbientLight(0xffffff, rng.uniform(env.ambient[0], env.ambient[1])));
  const hemi = new HemisphereLight(sky.clone(), groundColor, 0.6);
  hemi.position.set(0, 0, 1);
  scene.add(hemi);
  const sun = new DirectionalLight(0xfff4e0, rng.uniform(env.sunIntensity[0], env.sunIntensity[1]));
  // Directional lights shine from position toward target (origin).
  sun.position.set(Math.cos(el) * Math.cos(az) * 100, Math.cos(el) * Math.sin(az) * 100, Math.sin(el) * 100);
  scene.add(sun);
  scene.add(sun.target);
  return { scene, sample: { sunElevationDeg: elevation, sunAzimuthDeg: azimuth, skyColor: sky } };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
