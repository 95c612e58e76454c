/// <reference lib="dom" />
import {
  BoxGeometry,
  BufferGeometry,
  Float32BufferAttribute,
  Group,
  InstancedMesh,
  Line,
  LineBasicMaterial,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  PerspectiveCamera,
  SphereGeometry,
  Vector2,
  WebGLRenderer,
  type Object3D,
  type Scene,
} from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { buildWorld } from "../../worlds/buildWorld.ts";
import type { BuiltWorld } from "../../worlds/BuiltWorld.ts";
import { parseWorldPreset } from "../../worlds/WorldPreset.ts";
import { GEM_E2 } from "../../sim/robots/GemE2.ts";
import { TERRASENTIA } from "../../sim/robots/TerraSentia.ts";
import type { ViewerReplay } from "../ViewerData.ts";
import { interpolate } from "./sampleAt.ts";

/** How the 3-D view's camera moves: free orbit around a target, or chasing the robot. */
export type CameraMode = "orbit" | "follow";

const _size = new Vector2();

/**
 * The 3-D view of one replay: its world rebuilt from preset and seed by the
 * simulator's own generator, the robot as a box at the recorded pose, the
 * driven path, and a red marker at every recorded collision.
 */
export class ReplayScene {
  readonly renderer: WebGLRenderer;
  readonly camera = new PerspectiveCamera(50, 1, 0.05, 400);
  readonly controls: OrbitControls;
  mode: CameraMode = "orbit";
  world: BuiltWorld | undefined;
  private scene: Scene | undefined;
  private readonly overlay = new Group();
  private readonly robot = new Mesh(new BoxGeometry(1, 1, 1), new MeshLambertMaterial({ color: 0x1f6fd1 }));
  private markers: { x: number; y: number }[] = [];
  private replay: ViewerReplay | undefined;
  readonly pose = { x: 0, y: 0, yaw: 0 };

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, globalThis.devicePixelRatio || 1));
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.overlay.add(this.robot);
  }

  /** Rebuilds the world of `replay` and places path, markers and robot. */
  load(replay: ViewerReplay): void {
    this.replay = replay;
    this.scene?.remove(this.overlay);
    disposeTree(this.scene);
    const h = replay.header;
    const world = buildWorld(parseWorldPreset(h.world.preset, `${replay.id}/recording.json: world.preset`), h.seed);
    this.world = world;
    this.scene = world.scene;
    for (const child of [...this.overlay.children]) if (child !== this.robot) this.overlay.remove(child);
    const dims = h.robot === "gem" ? GEM_E2 : TERRASENTIA;
    this.robot.scale.set(dims.length, dims.width, dims.height);

    const tr = replay.trajectory;
    const pts: number[] = [];
    for (let i = 0; i < tr.t.length; i++) pts.push(tr.x[i], tr.y[i], 0.03);
    const path = new Line(
      new BufferGeometry().setAttribute("position", new Float32BufferAttribute(pts, 3)),
      new LineBasicMaterial({ color: 0xffee00 }),
    );
    path.name = "path";
    this.overlay.add(path);

    const r = h.robot === "gem" ? 0.35 : 0.08;
    const markerGeo = new SphereGeometry(r, 16, 12);
    const markerMat = new MeshBasicMaterial({ color: 0xff1a1a });
    this.markers = h.summary.collisionEvents.map((e) => ({ x: e.x, y: e.y }));
    for (const m of this.markers) {
      const s = new Mesh(markerGeo, markerMat);
      s.name = "collision";
      // Above the robot's roof, so the robot at the contact does not hide it.
      s.position.set(m.x, m.y, dims.height + 1.5 * r);
      this.overlay.add(s);
    }
    this.scene.add(this.overlay);

    const span = Math.max(5, h.robot === "gem" ? 40 : 8);
    this.controls.target.set(tr.x[0], tr.y[0], 0);
    this.camera.position.set(tr.x[0] - span, tr.y[0] - span * 0.6, span * 0.7);
    this.controls.update();
  }

  /** Puts the robot at its recorded pose at `t` (interpolated between control steps). */
  setTime(t: number): void {
    const tr = this.replay?.trajectory;
    if (!tr || tr.t.length === 0) return;
    this.pose.x = interpolate(tr.t, tr.x, t);
    this.pose.y = interpolate(tr.t, tr.y, t);
    this.pose.yaw = interpolate(tr.t, tr.yaw, t, true);
    this.robot.position.set(this.pose.x, this.pose.y, this.robot.scale.z / 2);
    this.robot.rotation.set(0, 0, this.pose.yaw);
    if (this.mode === "follow") {
      const back = this.replay!.header.robot === "gem" ? 9 : 2.2;
      const c = Math.cos(this.pose.yaw);
      const s = Math.sin(this.pose.yaw);
      this.camera.position.set(this.pose.x - back * c, this.pose.y - back * s, back * 0.55);
      this.controls.target.set(this.pose.x + c, this.pose.y + s, 0);
      this.camera.lookAt(this.controls.target);
    }
  }

  /** Draws one frame at the canvas' current size. */
  render(): void {
    if (!this.scene) return;
    const w = this.canvas.clientWidth || 1;
    const h = this.canvas.clientHeight || 1;
    const size = this.renderer.getSize(_size);
    if (size.x !== w || size.y !== h) {
      this.renderer.setSize(w, h, false);
      this.camera.aspect = w / h;
      this.camera.updateProjectionMatrix();
    }
    if (this.mode === "orbit") this.controls.update();
    this.renderer.render(this.scene, this.camera);
  }

  /** Plant stems and cones instanced in the scene, counted from its meshes. */
  sceneCounts(): { plants: number; cones: number; obstacles: number } {
    let plants = 0;
    let cones = 0;
    this.scene?.traverse((o) => {
      if (!(o instanceof InstancedMesh)) return;
      if (o.name.startsWith("stems-")) plants += o.count;
      if (o.name === "cones") cones += o.count;
    });
    return { plants, cones, obstacles: this.world?.obstacles.length ?? 0 };
  }

  collisionMarkers(): { x: number; y: number }[] {
    const out: { x: number; y: number }[] = [];
    for (const c of this.overlay.children) if (c.name === "collision") out.push({ x: c.position.x, y: c.position.y });
    return out;
  }
}

function disposeTree(root: Object3D | undefined): void {
  root?.traverse((o) => {
    const m = o as Partial<Mesh>;
    m.geometry?.dispose();
    const mats = Array.isArray(m.material) ? m.material : m.material ? [m.material] : [];
    for (const mat of mats) mat.dispose();
  });
}
