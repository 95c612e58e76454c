import type { RunRecording } from "../pipelines/recording/RunRecording.ts";

/**
 * One replay as the viewer page gets it: the recording header, the trajectory
 * and perception logs as columns (compact in JSON), and camera frames inlined
 * as data URLs so the page needs no other file.
 */
export interface ViewerReplay {
  /** Folder of the recording relative to the viewed folder, e.g. `seed-3` or `replays/1f2e…/seed-3`. */
  id: string;
  /** What the runs of one group share: the run, or one QoS point of a calibration/optimization. */
  group: string;
  header: RunRecording;
  trajectory: {
    t: number[];
    x: number[];
    y: number[];
    yaw: number[];
    /** The command's two values, named by `commandNames`. */
    command: [number[], number[]];
    commandNames: [string, string];
    truthCrossTrack: number[];
    truthHeading: number[];
    /** Empty when the trajectory has no estimate (open loop). */
    estCrossTrack: number[];
    estHeading: number[];
  };
  perception: { t: number[]; output: Record<string, number[]>; truth: Record<string, number[]> };
  frames: { t: number; src: string }[];
}

/** Everything a `viewer.html` shows, embedded in it as JSON. */
export interface ViewerData {
  title: string;
  /** What was viewed: a run folder, a calibration or an optimization output. */
  kind: "run" | "calibration" | "optimize";
  replays: ViewerReplay[];
}

/** Id of the `<script type="application/json">` element holding the {@link ViewerData}. */
export const VIEWER_DATA_ELEMENT = "approxcaliper-viewer-data";

/**
 * The page's test hook, `window.approxcaliperViewer` (documented for tests and
 * scripting; all poses in world metres/radians, times in simulated seconds).
 */
export interface ViewerTestHook {
  /** True once the first replay's world is built and drawn. */
  ready: boolean;
  /** Errors caught in the page (also reported on the console). */
  errors: string[];
  /** Ids of the replays, in picker order. */
  replayIds(): string[];
  /** Shows a replay (rebuilds its world) and rewinds to t = 0. */
  select(id: string): void;
  /** Moves the time slider to `t` and draws that instant. */
  setTime(t: number): void;
  /** The robot model's pose as drawn now. */
  robotPose(): { x: number; y: number; yaw: number };
  /** Counts in the drawn scene: plant stems and cones instanced in it, and the rebuilt world's obstacles. */
  sceneCounts(): { plants: number; cones: number; obstacles: number };
  /** Positions of the collision markers drawn. */
  collisionMarkers(): { x: number; y: number }[];
  /** The camera frame shown now (its `src`, a data URL) and its capture time, or null when the replay has none. */
  cameraFrame(): { t: number; src: string } | null;
}
