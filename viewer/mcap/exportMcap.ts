import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { readRecording, recordedPreset, type PerceptionLine } from "../../pipelines/index.ts";
import { GEM_E2, TERRASENTIA, TrajectoryLineSchema } from "../../sim/index.ts";
import { buildWorld, type Obstacle } from "../../worlds/index.ts";
import { FileWritable } from "./FileWritable.ts";

/** Topics written by {@link exportMcap}, with their schema names. */
export const MCAP_TOPICS = {
  /** `world` → `base_link` at the control rate. */
  tf: { topic: "/tf", schema: "foxglove.FrameTransforms" },
  /** Robot pose in `world` (plot-friendly: `.pose.position.x`, …). */
  pose: { topic: "/robot/pose", schema: "foxglove.PoseInFrame" },
  /** The world once at the start: obstacles as cylinders, the driven path as a line. */
  world: { topic: "/world", schema: "foxglove.SceneUpdate" },
  /** The robot body as a box locked to `base_link`. */
  robot: { topic: "/robot/body", schema: "foxglove.SceneUpdate" },
  /** One red sphere per collision, published at its time. */
  collisions: { topic: "/collisions", schema: "foxglove.SceneUpdate" },
  /** Camera frames with the perception output drawn (only when the recording has frames). */
  camera: { topic: "/camera/image", schema: "foxglove.CompressedImage" },
  /** Each `trajectory.jsonl` line (command, truth, estimate; plot-friendly). */
  trajectory: { topic: "/trajectory", schema: "approxcaliper.TrajectoryLine" },
  /** Each `perception.jsonl` line (perception output vs truth). */
  perception: { topic: "/perception", schema: "approxcaliper.PerceptionLine" },
} as const;

const PERCEPTION_JSON_SCHEMA = {
  title: "approxcaliper.PerceptionLine",
  type: "object",
  properties: {
    t: { type: "number", description: "capture time (s)" },
    output: { type: "object", additionalProperties: { type: "number" }, description: "the perception's outputs" },
    truth: { type: "object", additionalProperties: { type: "number" }, description: "ground truth at capture" },
  },
};

/** Result of {@link exportMcap}. */
export interface McapExport {
  file: string;
  /** Messages written per topic. */
  messages: Record<string, number>;
  /** First and last log time (ns). */
  startTime: bigint;
  endTime: bigint;
}

const enc = new TextEncoder();
const ns = (t: number): bigint => BigInt(Math.round(t * 1e9));
const stamp = (t: number) => {
  const n = ns(t);
  return { sec: Number(n / 1_000_000_000n), nsec: Number(n % 1_000_000_000n) };
};
const yawQuat = (yaw: number) => ({ x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) });
const IDENTITY = { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } };

function entity(t: number, frameId: string, id: string, parts: Record<string, unknown[]>, frameLocked = false) {
  return {
    timestamp: stamp(t),
    frame_id: frameId,
    id,
    lifetime: { sec: 0, nsec: 0 },
    frame_locked: frameLocked,
    metadata: [],
    arrows: [],
    cubes: [],
    spheres: [],
    cylinders: [],
    lines: [],
    triangles: [],
    texts: [],
    models: [],
    ...parts,
  };
}

function obstacleCylinder(o: Obstacle) {
  const color =
    o.kind === "cone"
      ? { r: 1, g: 0.45, b: 0.05, a: 1 }
      : o.kind === "weed"
        ? { r: 0.55, g: 0.75, b: 0.2, a: 1 }
        : { r: 0.15, g: 0.6, b: 0.15, a: 1 };
  return {
    pose: { position: { x: o.x, y: o.y, z: o.height / 2 }, orientation: IDENTITY.orientation },
    size: { x: 2 * o.radius, y: 2 * o.radius, z: o.height },
    bottom_scale: 1,
    top_scale: o.kind === "cone" ? 0 : 1,
    color,
  };
}

/**
 * Writes the replay in `runDir` (a folder with `recording.json`, e.g.
 * `out/run/seed-3`) as an MCAP file with JSON messages on Foxglove's
 * well-known schemas (see {@link MCAP_TOPICS}), so it opens in Foxglove and
 * Lichtblick: 3-D panel (world, robot, path, collisions), image panel and
 * plots. Log times are simulated time (t = 0 at the epoch).
 * @throws InputError when `runDir` holds no valid recording.
 */
export async function exportMcap(runDir: string, file: string): Promise<McapExport> {
  // Loaded here, not at import: the viewer barrel stays light for commands that never export.
  const { McapWriter } = await import("@mcap/core");
  const { CompressedImage, FrameTransforms, PoseInFrame, SceneUpdate } = await import("@foxglove/schemas/jsonschema.js");
  const rec = readRecording(runDir);
  const h = rec.header;
  const world = buildWorld(recordedPreset(h), h.seed);
  const handle = await open(file, "w");
  const counts: Record<string, number> = {};
  let start = -1n;
  let end = 0n;
  try {
    const writer = new McapWriter({ writable: new FileWritable(handle) });
    await writer.start({ profile: "", library: "approxcaliper" });
    const channels = new Map<string, number>();
    const seq = new Map<number, number>();
    const channel = async (key: keyof typeof MCAP_TOPICS, jsonSchema: object) => {
      const { topic, schema } = MCAP_TOPICS[key];
      const schemaId = await writer.registerSchema({ name: schema, encoding: "jsonschema", data: enc.encode(JSON.stringify(jsonSchema)) });
      channels.set(topic, await writer.registerChannel({ schemaId, topic, messageEncoding: "json", metadata: new Map() }));
    };
    const publish = async (key: keyof typeof MCAP_TOPICS, t: number, message: unknown) => {
      const topic = MCAP_TOPICS[key].topic;
      const channelId = channels.get(topic)!;
      const sequence = seq.get(channelId) ?? 0;
      seq.set(channelId, sequence + 1);
      const time = ns(t);
      await writer.addMessage({ channelId, sequence, logTime: time, publishTime: time, data: enc.encode(JSON.stringify(message)) });
      counts[topic] = (counts[topic] ?? 0) + 1;
      if (start < 0n || time < start) start = time;
      if (time > end) end = time;
    };

    await channel("tf", FrameTransforms);
    await channel("pose", PoseInFrame);
    await channel("world", SceneUpdate);
    await channel("robot", SceneUpdate);
    await channel("collisions", SceneUpdate);
    if (h.frames.length) await channel("camera", CompressedImage);
    await channel("trajectory", z.toJSONSchema(TrajectoryLineSchema, { target: "draft-7" }));
    await channel("perception", PERCEPTION_JSON_SCHEMA);
    await writer.addMetadata({
      name: "approxcaliper.recording",
      metadata: new Map([
        ["pipeline", h.pipeline],
        ["world", h.world.name],
        ["seed", String(h.seed)],
        ["pass", String(h.pass ?? "")],
        ["collisions", String(h.summary.collisions)],
      ]),
    });

    const t0 = rec.trajectory.length ? rec.trajectory[0].t : 0;
    const path = rec.trajectory.map((l) => ({ x: l.pose.x, y: l.pose.y, z: 0.03 }));
    const line = {
      type: 0,
      pose: IDENTITY,
      thickness: 3,
      scale_invariant: true,
      points: path,
      color: { r: 1, g: 0.9, b: 0, a: 1 },
      colors: [],
      indices: [],
    };
    await publish("world", t0, {
      deletions: [],
      entities: [
        entity(t0, "world", "obstacles", { cylinders: world.obstacles.map(obstacleCylinder) }),
        entity(t0, "world", "path", { lines: [line] }),
      ],
    });
    const dims = h.robot === "gem" ? GEM_E2 : TERRASENTIA;
    await publish("robot", t0, {
      deletions: [],
      entities: [
        entity(
          t0,
          "base_link",
          "robot",
          {
            cubes: [
              {
                pose: { position: { x: 0, y: 0, z: dims.height / 2 }, orientation: IDENTITY.orientation },
                size: { x: dims.length, y: dims.width, z: dims.height },
                color: { r: 0.12, g: 0.44, b: 0.82, a: 1 },
              },
            ],
          },
          true,
        ),
      ],
    });

    // Messages in time order across topics (readers expect it; MCAP indexes either way).
    const events: { t: number; k: number; write: () => Promise<void> }[] = [];
    rec.trajectory.forEach((l, k) => {
      events.push({
        t: l.t,
        k,
        write: async () => {
          const ts = stamp(l.t);
          await publish("tf", l.t, {
            transforms: [
              {
                timestamp: ts,
                parent_frame_id: "world",
                child_frame_id: "base_link",
                translation: { x: l.pose.x, y: l.pose.y, z: 0 },
                rotation: yawQuat(l.pose.yaw),
              },
            ],
          });
          await publish("pose", l.t, {
            timestamp: ts,
            frame_id: "world",
            pose: { position: { x: l.pose.x, y: l.pose.y, z: 0 }, orientation: yawQuat(l.pose.yaw) },
          });
          await publish("trajectory", l.t, l);
        },
      });
    });
    rec.perception.forEach((p: PerceptionLine, k) => events.push({ t: p.t, k, write: () => publish("perception", p.t, p) }));
    h.summary.collisionEvents.forEach((e, k) =>
      events.push({
        t: e.time,
        k,
        write: () =>
          publish("collisions", e.time, {
            deletions: [],
            entities: [
              entity(e.time, "world", `collision-${k}`, {
                spheres: [
                  {
                    pose: { position: { x: e.x, y: e.y, z: 0.3 }, orientation: IDENTITY.orientation },
                    size: { x: 0.25, y: 0.25, z: 0.25 },
                    color: { r: 1, g: 0.1, b: 0.1, a: 1 },
                  },
                ],
                texts: [],
              }),
            ],
          }),
      }),
    );
    h.frames.forEach((f, k) =>
      events.push({
        t: f.t,
        k,
        write: () =>
          publish("camera", f.t, {
            timestamp: stamp(f.t),
            frame_id: "camera",
            data: readFileSync(join(runDir, f.file)).toString("base64"),
            format: f.file.endsWith(".png") ? "png" : "jpeg",
          }),
      }),
    );
    events.sort((a, b) => a.t - b.t || a.k - b.k);
    for (const e of events) await e.write();
    await writer.end();
  } finally {
    await handle.close();
  }
  return { file, messages: counts, startTime: start < 0n ? 0n : start, endTime: end };
}
