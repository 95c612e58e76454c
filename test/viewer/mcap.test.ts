import { mkdtempSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { McapIndexedReader, type IReadable } from "@mcap/core";
import { beforeAll, describe, expect, it } from "vitest";
import { readRecording } from "../../pipelines/index.ts";
import { register as exportRegister } from "../../scripts/commands/export.ts";
import { buildWorld } from "../../worlds/index.ts";
import { loadWorldPreset } from "../../worlds/index.ts";
import { makeRecordedRuns, type RecordedRuns } from "../fixtures/recordedRuns.ts";
import { runCommand } from "../fixtures/runCommand.ts";

let runs: RecordedRuns;
beforeAll(async () => {
  runs = await makeRecordedRuns();
});

async function readMcap(file: string) {
  const handle = await open(file, "r");
  const readable: IReadable = {
    size: async () => BigInt((await handle.stat()).size),
    read: async (offset, size) => {
      const buf = Buffer.alloc(Number(size));
      await handle.read(buf, 0, Number(size), Number(offset));
      return buf;
    },
  };
  const reader = await McapIndexedReader.Initialize({ readable });
  const byTopic = new Map<string, { logTime: bigint; json: unknown }[]>();
  for await (const m of reader.readMessages()) {
    const topic = reader.channelsById.get(m.channelId)!.topic;
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push({ logTime: m.logTime, json: JSON.parse(new TextDecoder().decode(m.data)) });
  }
  const schemas = new Map([...reader.channelsById.values()].map((c) => [c.topic, reader.schemasById.get(c.schemaId)!]));
  await handle.close();
  return { reader, byTopic, schemas };
}

describe("approxcaliper export --mcap", () => {
  it("writes Foxglove's well-known schemas that read back with @mcap/core: channels, counts, time range", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "mcap-")), "run.mcap");
    const printed = await runCommand(exportRegister, "export", [runs.cropfollow.dir, "--mcap", file]);
    expect(printed).toMatch(/wrote .*run\.mcap: \d+ messages on 8 topics/);
    const rec = readRecording(runs.cropfollow.dir);
    const { reader, byTopic, schemas } = await readMcap(file);

    const expected: Record<string, [string, number]> = {
      "/tf": ["foxglove.FrameTransforms", rec.trajectory.length],
      "/robot/pose": ["foxglove.PoseInFrame", rec.trajectory.length],
      "/world": ["foxglove.SceneUpdate", 1],
      "/robot/body": ["foxglove.SceneUpdate", 1],
      "/collisions": ["foxglove.SceneUpdate", rec.header.summary.collisions],
      "/camera/image": ["foxglove.CompressedImage", rec.header.frames.length],
      "/trajectory": ["approxcaliper.TrajectoryLine", rec.trajectory.length],
      "/perception": ["approxcaliper.PerceptionLine", rec.perception.length],
    };
    expect([...schemas.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [topic, [schema, count]] of Object.entries(expected)) {
      expect(schemas.get(topic)!.name, topic).toBe(schema);
      expect(schemas.get(topic)!.encoding).toBe("jsonschema");
      expect(byTopic.get(topic)?.length ?? 0, topic).toBe(count);
    }
    expect(reader.statistics!.messageCount).toBe(BigInt(Object.values(expected).reduce((a, [, n]) => a + n, 0)));
    const first = rec.trajectory[0].t;
    const last = rec.trajectory[rec.trajectory.length - 1].t;
    expect(reader.statistics!.messageStartTime).toBe(BigInt(Math.round(first * 1e9)));
    expect(reader.statistics!.messageEndTime).toBe(BigInt(Math.round(last * 1e9)));

    // Content: the transform follows the recorded pose; the world holds one cylinder per obstacle; collisions at their positions.
    const tf = byTopic.get("/tf")![10].json as {
      transforms: { translation: { x: number; y: number }; child_frame_id: string; rotation: { z: number; w: number } }[];
    };
    expect(tf.transforms[0].child_frame_id).toBe("base_link");
    expect(tf.transforms[0].translation.x).toBeCloseTo(rec.trajectory[10].pose.x, 9);
    expect(2 * Math.atan2(tf.transforms[0].rotation.z, tf.transforms[0].rotation.w)).toBeCloseTo(rec.trajectory[10].pose.yaw, 9);
    const world = byTopic.get("/world")![0].json as { entities: { id: string; cylinders: unknown[] }[] };
    const obstacles = buildWorld(loadWorldPreset("cropfield-straight"), 2).obstacles.length;
    expect(world.entities.find((e) => e.id === "obstacles")!.cylinders).toHaveLength(obstacles);
    const hit = byTopic.get("/collisions")![0];
    const ev = rec.header.summary.collisionEvents[0];
    expect(hit.logTime).toBe(BigInt(Math.round(ev.time * 1e9)));
    expect(
      (hit.json as { entities: { spheres: { pose: { position: { x: number } } }[] }[] }).entities[0].spheres[0].pose.position.x,
    ).toBeCloseTo(ev.x, 9);
    const img = byTopic.get("/camera/image")![0].json as { format: string; data: string };
    expect(img.format).toBe("jpeg");
    expect(Buffer.from(img.data, "base64").subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it("names the folder when it holds no recording", async () => {
    const empty = mkdtempSync(join(tmpdir(), "mcap-empty-"));
    await expect(runCommand(exportRegister, "export", [empty, "--mcap", join(empty, "x.mcap")])).rejects.toThrow(/no recording\.json here/);
    await expect(runCommand(exportRegister, "export", [runs.gem.dir])).rejects.toThrow(/--mcap: say where to write/);
  });
});
