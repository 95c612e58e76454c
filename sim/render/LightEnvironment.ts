import * as THREE from "three";

const MAX_LIGHTS = 8;
const _pos = new THREE.Vector3();
const _target = new THREE.Vector3();

/**
 * The lights of one frame, reduced to what `MeshLambertMaterial` needs, in world space.
 *
 * Matches three.js r155+ (physically based light units): irradiance is `color × intensity`,
 * and the Lambert BRDF contributes `diffuse / π`, so {@link LightEnvironment.irradianceOverPi} already carries the
 * 1/π. Ambient light adds its irradiance; a hemisphere light adds `mix(ground, sky, 0.5·n·d + 0.5)`
 * with d the unit vector from the origin toward the light's world position; a directional light adds
 * `max(n·l, 0) × color` with l from its target's world position toward its own.
 * Point, spot, rect-area lights and light probes are rejected by the renderer before they get here.
 */
export class LightEnvironment {
  /** Σ ambient irradiance / π, linear RGB. */
  readonly ambient = new Float64Array(3);
  /** Hemisphere lights: unit direction (3), sky irradiance / π (3), ground irradiance / π (3) each. */
  readonly hemi = new Float64Array(9 * MAX_LIGHTS);
  hemiCount = 0;
  /** Directional lights: unit direction toward the light (3), irradiance / π (3) each. */
  readonly directional = new Float64Array(6 * MAX_LIGHTS);
  directionalCount = 0;

  /** Forget all lights (start of a frame). */
  clear(): void {
    this.ambient.fill(0);
    this.hemiCount = 0;
    this.directionalCount = 0;
  }

  /** Add one supported light; the scene's world matrices must be current. */
  add(light: THREE.Light): void {
    const k = light.intensity / Math.PI;
    const c = light.color;
    if ((light as THREE.AmbientLight).isAmbientLight) {
      this.ambient[0] += c.r * k;
      this.ambient[1] += c.g * k;
      this.ambient[2] += c.b * k;
    } else if ((light as THREE.HemisphereLight).isHemisphereLight) {
      if (this.hemiCount === MAX_LIGHTS) throw new Error(`SoftwareRenderer: more than ${MAX_LIGHTS} hemisphere lights`);
      const g = (light as THREE.HemisphereLight).groundColor;
      _pos.setFromMatrixPosition(light.matrixWorld).normalize();
      const o = 9 * this.hemiCount++;
      const h = this.hemi;
      h[o] = _pos.x;
      h[o + 1] = _pos.y;
      h[o + 2] = _pos.z;
      h[o + 3] = c.r * k;
      h[o + 4] = c.g * k;
      h[o + 5] = c.b * k;
      h[o + 6] = g.r * k;
      h[o + 7] = g.g * k;
      h[o + 8] = g.b * k;
    } else if ((light as THREE.DirectionalLight).isDirectionalLight) {
      if (this.directionalCount === MAX_LIGHTS) throw new Error(`SoftwareRenderer: more than ${MAX_LIGHTS} directional lights`);
      _pos.setFromMatrixPosition(light.matrixWorld);
      _target.setFromMatrixPosition((light as THREE.DirectionalLight).target.matrixWorld);
      _pos.sub(_target).normalize();
      const o = 6 * this.directionalCount++;
      const d = this.directional;
      d[o] = _pos.x;
      d[o + 1] = _pos.y;
      d[o + 2] = _pos.z;
      d[o + 3] = c.r * k;
      d[o + 4] = c.g * k;
      d[o + 5] = c.b * k;
    } else {
      throw new Error(`SoftwareRenderer: light "${light.name || light.uuid}" of type ${light.type} is not supported`);
    }
  }

  /**
   * {@link irradianceOverPi} for the unit normal n = `io[0..2]`, writing the result for n to
   * `io[0..2]` and for −n to `io[3..5]` in one pass (double-sided materials light back faces with
   * the flipped normal).
   */
  irradiancePairOverPi(io: Float64Array): void {
    const nx = io[0],
      ny = io[1],
      nz = io[2];
    let r = this.ambient[0],
      g = this.ambient[1],
      b = this.ambient[2];
    let rb = r,
      gb = g,
      bb = b;
    const hemi = this.hemi;
    for (let i = 0, o = 0; i < this.hemiCount; i++, o += 9) {
      const w = 0.5 * (nx * hemi[o] + ny * hemi[o + 1] + nz * hemi[o + 2]) + 0.5;
      const dr = hemi[o + 3] - hemi[o + 6],
        dg = hemi[o + 4] - hemi[o + 7],
        db = hemi[o + 5] - hemi[o + 8];
      r += hemi[o + 6] + dr * w;
      rb += hemi[o + 6] + dr * (1 - w);
      g += hemi[o + 7] + dg * w;
      gb += hemi[o + 7] + dg * (1 - w);
      b += hemi[o + 8] + db * w;
      bb += hemi[o + 8] + db * (1 - w);
    }
    const dir = this.directional;
    for (let i = 0, o = 0; i < this.directionalCount; i++, o += 6) {
      const d = nx * dir[o] + ny * dir[o + 1] + nz * dir[o + 2];
      if (d > 0) {
        r += d * dir[o + 3];
        g += d * dir[o + 4];
        b += d * dir[o + 5];
      } else {
        rb -= d * dir[o + 3];
        gb -= d * dir[o + 4];
        bb -= d * dir[o + 5];
      }
    }
    io[0] = r;
    io[1] = g;
    io[2] = b;
    io[3] = rb;
    io[4] = gb;
    io[5] = bb;
  }

  /**
   * Lambert irradiance / π for the unit world-space normal `io[0..2]`, linear RGB written back to
   * `io[0..2]` (in/out through the array so hot callers pass no boxed doubles). Multiply by the
   * diffuse colour to get outgoing radiance.
   */
  irradianceOverPi(io: Float64Array): void {
    const nx = io[0],
      ny = io[1],
      nz = io[2];
    let r = this.ambient[0],
      g = this.ambient[1],
      b = this.ambient[2];
    const hemi = this.hemi;
    for (let i = 0, o = 0; i < this.hemiCount; i++, o += 9) {
      const w = 0.5 * (nx * hemi[o] + ny * hemi[o + 1] + nz * hemi[o + 2]) + 0.5;
      r += hemi[o + 6] + (hemi[o + 3] - hemi[o + 6]) * w;
      g += hemi[o + 7] + (hemi[o + 4] - hemi[o + 7]) * w;
      b += hemi[o + 8] + (hemi[o + 5] - hemi[o + 8]) * w;
    }
    const dir = this.directional;
    for (let i = 0, o = 0; i < this.directionalCount; i++, o += 6) {
      const d = nx * dir[o] + ny * dir[o + 1] + nz * dir[o + 2];
      if (d > 0) {
        r += d * dir[o + 3];
        g += d * dir[o + 4];
        b += d * dir[o + 5];
      }
    }
    io[0] = r;
    io[1] = g;
    io[2] = b;
  }
}
