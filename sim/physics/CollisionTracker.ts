import type { Body, World } from "cannon-es";
import type { Obstacle } from "../../worlds/index.ts";
import { ObstacleBody } from "./ObstacleBodies.ts";

/** One counted collision: the onset of contact between the robot and an obstacle. */
export interface CollisionEvent {
  /** Simulated time of the onset (s). */
  time: number;
  /** Id (index) of the obstacle hit. */
  obstacleId: number;
  /** Obstacle kind, e.g. "plant", "weed", "cone". */
  kind: string;
  /** First contact point (m, world frame). */
  x: number;
  y: number;
}

/** Collision count and the events behind it. */
export interface CollisionLog {
  /** Number of contact onsets counted so far (= events.length). */
  count: number;
  events: CollisionEvent[];
}

/**
 * Counts collisions from cannon's contact list after each step.
 *
 * A collision is the *onset* of contact between the robot and one obstacle:
 * the contact equations cannon produces while the two stay pressed together
 * (every step, often several per step) are one collision. The ground is never
 * an obstacle. Contact with an obstacle is considered over once it has been
 * absent for `releaseSeconds`, so solver jitter while the robot grinds along a
 * stem does not count the same stem again; touching it again later does.
 */
export class CollisionTracker {
  /** The public log (mutated in place; events are appended). */
  readonly log: CollisionLog = { count: 0, events: [] };
  private readonly lastContact: Float64Array;

  /**
   * @param releaseSeconds gap without contact after which a new contact counts again.
   * @default releaseSeconds 0.5
   */
  constructor(
    private readonly obstacles: readonly Obstacle[],
    private readonly robot: Body,
    private readonly releaseSeconds = 0.5,
  ) {
    this.lastContact = new Float64Array(obstacles.length).fill(-Infinity);
  }

  /** Scans the contacts of the step that just ended at simulated time `time`. */
  afterStep(world: World, time: number): void {
    const contacts = world.contacts;
    for (let i = 0; i < contacts.length; i++) {
      const c = contacts[i];
      let other: Body;
      let self: Body;
      if (c.bi === this.robot) {
        self = c.bi;
        other = c.bj;
      } else if (c.bj === this.robot) {
        self = c.bj;
        other = c.bi;
      } else continue;
      if (!(other instanceof ObstacleBody)) continue;
      const id = other.obstacleIndex;
      if (time - this.lastContact[id] > this.releaseSeconds) {
        const r = self === c.bi ? c.ri : c.rj;
        this.log.events.push({ time, obstacleId: id, kind: this.obstacles[id].kind, x: self.position.x + r.x, y: self.position.y + r.y });
        this.log.count++;
      }
      this.lastContact[id] = time;
    }
  }
}
