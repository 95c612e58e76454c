import { Body, Cylinder, Vec3, type World } from "cannon-es";
import type { Obstacle } from "../../worlds/index.ts";

const Z_TO_Y_AXIS = new Vec3(1, 0, 0);
/** Colliders are capped at this height (m): taller than any robot, and capping lets stems share shapes. */
const MAX_COLLIDER_HEIGHT = 2;
const shapeCache = new Map<string, Cylinder>();

/**
 * Cylinder shapes are immutable once built; share one per (radius, height to 5 cm). A shared shape's
 * `body` back-reference names only the last body it was added to; cannon-es never reads it while
 * stepping, and we do not use shape-level contact events.
 */
function cylinderFor(radius: number, height: number): Cylinder {
  const h = Math.max(0.05, Math.round(height * 20) / 20);
  const key = `${radius}:${h}`;
  let shape = shapeCache.get(key);
  if (!shape) shapeCache.set(key, (shape = new Cylinder(radius, radius, h, 8)));
  return shape;
}

/** A static cannon body standing for one world obstacle. */
export class ObstacleBody extends Body {
  /** Index of the obstacle in the world's obstacle list. */
  readonly obstacleIndex: number;

  constructor(obstacle: Obstacle) {
    super({ type: Body.STATIC, mass: 0 });
    this.obstacleIndex = obstacle.id;
    // cannon-es cylinders are built along their local Y axis; rotate to world Z.
    const shape = cylinderFor(obstacle.radius, Math.min(obstacle.height, MAX_COLLIDER_HEIGHT));
    this.addShape(shape);
    this.quaternion.setFromAxisAngle(Z_TO_Y_AXIS, Math.PI / 2);
    this.position.set(obstacle.x, obstacle.y, shape.height / 2);
    this.updateAABB();
  }
}

/**
 * Keeps only the obstacles near the robot in the cannon world.
 *
 * A field holds thousands of stems; cannon's step cost grows with the body
 * count even when nothing touches. Obstacles live in a uniform grid; whenever
 * the robot has moved more than `margin / 2` since the last refresh, the bodies
 * within `reach + margin` are added and the rest removed. Because a refresh happens
 * before the robot is `margin` away from the last one, every obstacle it can touch is
 * in the world. Bodies are created on first use and reused afterwards.
 */
export class ObstacleBodies {
  private readonly bodies: (ObstacleBody | undefined)[];
  private readonly inWorld: Uint8Array;
  private readonly wanted: Uint32Array;
  private readonly active: Int32Array;
  private activeCount = 0;
  private stamp = 0;
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;
  private readonly gx0: number;
  private readonly gy0: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly maxRadius: number;
  private lastX = Infinity;
  private lastY = Infinity;

  /**
   * @param reach largest distance (m) from the robot's centre to any point of its collider.
   * @param margin distance (m) the robot may travel between refreshes.
   * @param cell grid cell size (m).
   */
  constructor(
    private readonly world: World,
    private readonly obstacles: readonly Obstacle[],
    private readonly reach: number,
    private readonly margin: number,
    private readonly cell = 1,
  ) {
    const n = obstacles.length;
    this.bodies = new Array(n).fill(undefined);
    this.inWorld = new Uint8Array(n);
    this.wanted = new Uint32Array(n);
    this.active = new Int32Array(n);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let rMax = 0;
    for (const o of obstacles) {
      x0 = Math.min(x0, o.x);
      y0 = Math.min(y0, o.y);
      x1 = Math.max(x1, o.x);
      y1 = Math.max(y1, o.y);
      rMax = Math.max(rMax, o.radius);
    }
    if (n === 0) x0 = y0 = x1 = y1 = 0;
    this.maxRadius = rMax;
    this.gx0 = x0;
    this.gy0 = y0;
    this.nx = Math.floor((x1 - x0) / cell) + 1;
    this.ny = Math.floor((y1 - y0) / cell) + 1;
    const counts = new Int32Array(this.nx * this.ny + 1);
    for (const o of obstacles) counts[this.cellOf(o.x, o.y) + 1]++;
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
    this.cellStart = counts;
    this.cellItems = new Int32Array(n);
    const fill = counts.slice(0, -1);
    for (const o of obstacles) this.cellItems[fill[this.cellOf(o.x, o.y)]++] = o.id;
  }

  /** Number of obstacle bodies currently in the cannon world. */
  get activeBodies(): number {
    return this.activeCount;
  }

  /** Brings the obstacles around (x, y) into the world if the robot moved far enough since the last refresh. */
  update(x: number, y: number): void {
    const dx = x - this.lastX;
    const dy = y - this.lastY;
    if (dx * dx + dy * dy < this.margin * this.margin * 0.25) return;
    this.lastX = x;
    this.lastY = y;
    const stamp = ++this.stamp;
    const R = this.reach + this.margin + this.maxRadius;
    const cx0 = Math.max(0, Math.floor((x - R - this.gx0) / this.cell));
    const cx1 = Math.min(this.nx - 1, Math.floor((x + R - this.gx0) / this.cell));
    const cy0 = Math.max(0, Math.floor((y - R - this.gy0) / this.cell));
    const cy1 = Math.min(this.ny - 1, Math.floor((y + R - this.gy0) / this.cell));
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * this.nx + cx;
        for (let k = this.cellStart[c]; k < this.cellStart[c + 1]; k++) {
          const id = this.cellItems[k];
          const o = this.obstacles[id];
          const ox = o.x - x;
          const oy = o.y - y;
          const r = this.reach + this.margin + o.radius;
          if (ox * ox + oy * oy > r * r) continue;
          this.wanted[id] = stamp;
          if (this.inWorld[id] === 0) {
            this.inWorld[id] = 1;
            this.active[this.activeCount++] = id;
            this.world.addBody((this.bodies[id] ??= new ObstacleBody(o)));
          }
        }
      }
    }
    let keep = 0;
    for (let i = 0; i < this.activeCount; i++) {
      const id = this.active[i];
      if (this.wanted[id] === stamp) {
        this.active[keep++] = id;
      } else {
        this.inWorld[id] = 0;
        this.world.removeBody(this.bodies[id]!);
      }
    }
    this.activeCount = keep;
  }

  private cellOf(x: number, y: number): number {
    const cx = Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.gx0) / this.cell)));
    const cy = Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.gy0) / this.cell)));
    return cy * this.nx + cx;
  }
}
