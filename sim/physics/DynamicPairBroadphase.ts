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
      if (bi.aabbNeedsUpdate) bi.updateAABB();
      const li = bi.aabb.lowerBound;
      const ui = bi.aabb.upperBound;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const bj = bodies[j];
        // A pair of moving bodies is visited twice; keep it once.
        if (bj.type !== Body.STATIC && j < i) continue;
        if ((bi.collisionFilterGroup & bj.collisionFilterMask) === 0 || (bj.collisionFilterGroup & bi.collisionFilterMask) === 0) continue;
        if (bj.aabbNeedsUpdate) bj.updateAABB();
        // Inlined AABB overlap (cannon's intersectionTest adds two calls per pair on the hot path).
        const lj = bj.aabb.lowerBound;
        const uj = bj.aabb.upperBound;
        if (li.x > uj.x || lj.x > ui.x || li.y > uj.y || lj.y > ui.y || li.z > uj.z || lj.z > ui.z) continue;
        p1.push(bi);
        p2.push(bj);
      }
    }
  }
}
