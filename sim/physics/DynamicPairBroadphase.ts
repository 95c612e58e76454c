import { Body, Broadphase, type World } from "cannon-es";

/**
 * Broadphase for worlds with very few moving bodies among static ones: only
 * pairs with at least one dynamic (or kinematic) body are tested, by AABB.
 * Cost is O(moving × bodies) instead of cannon's naive O(bodies²). Allocates
 * nothing beyond what cannon's pair arrays already hold.
 */
export class DynamicPairBroadphase extends Broadphase {
  constructor() {
    super();
    this.useBoundingBoxes = true;
  }

  override collisionPairs(world: World, p1: Body[], p2: Body[]): void {
    const bodies = world.bodies;
    const n = bodies.length;
    for (let i = 0; i < n; i++) {
      const bi = bodies[i];
      if (bi.type === Body.STATIC) continue;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const bj = bodies[j];
        // A pair of moving bodies is visited twice; keep it once.
        if (bj.type !== Body.STATIC && j < i) continue;
        if (!this.needBroadphaseCollision(bi, bj)) continue;
        this.intersectionTest(bi, bj, p1, p2);
      }
    }
  }
}
