/**
 * bench:loop, recording section: what `--record failing` costs the closed loop
 * and how big a recorded run is.
 *
 * - Overhead: the same 60 s CropFollow run (injected errors that make it fail,
 *   so its replay is written) without recording and with `--record failing`
 *   (perception log kept, replay written), interleaved pairs whose order
 *   alternates (so drift in machine load hits both alike), median wall time
 *   of each; target ≤ 5 %.
 * - Size: the replay folder of that run (no frames); target ≤ 2 MB.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWorld, loadWorldPreset, parseRunConfig, runPipeline, seedPasses, shouldRecord, writeRecording } from "../../index.ts";
import { median } from "../../common/index.ts";

/** Result of {@link benchRecording}. */
export interface RecordingBench {
  noneMs: number;
  failingMs: number;
  overheadPercent: number;
  bytes: number;
  simSeconds: number;
}

/** Times `pairs` interleaved (none, failing) runs of a 60 s failing CropFollow run on `world` (a preset file or name). */
export async function benchRecording(worldName: string, pairs: number): Promise<RecordingBench> {
  // A steady heading bias drifts the robot into the plants late in the row: a failing run that still lasts the full 60 s.
  const config = parseRunConfig({
    pipeline: "cropfollow",
    world: worldName,
    perception: { kind: "injected", heading: { bias: 0.02, std: 0.1 }, distance: { bias: 0.12, std: 0.05 } },
    maxTime: 60,
  });
  const goal = { collisions: 0 };
  const world = buildWorld(loadWorldPreset(worldName), 1);
  const dir = mkdtempSync(join(tmpdir(), "bench-record-"));
  const none: number[] = [];
  const failing: number[] = [];
  let bytes = 0;
  let simSeconds = 0;
  const plain = async (): Promise<number> => {
    const t = performance.now();
    await runPipeline(config, 1, { world });
    return performance.now() - t;
  };
  const recorded = async (out: string) => {
    const t = performance.now();
    const run = await runPipeline(config, 1, { world, recordPerception: true });
    const summary = { ...run.summary, trajectory: run.trajectory.values(), perception: run.perception?.values() };
    const pass = seedPasses(summary, goal);
    if (shouldRecord("failing", pass)) writeRecording(out, { config, seed: 1, summary, goal, pass });
    return { ms: performance.now() - t, run, pass };
  };
  for (let k = 0; k <= pairs; k++) {
    const out = join(dir, `run-${k}`);
    let a: number;
    let r: Awaited<ReturnType<typeof recorded>>;
    if (k % 2 === 0) {
      a = await plain();
      r = await recorded(out);
    } else {
      r = await recorded(out);
      a = await plain();
    }
    const { run, pass } = r;
    const b = r.ms;
    if (k === 0) {
      // Warm-up pair; its replay is the one measured.
      if (pass) throw new Error("bench: the recording benchmark's run was meant to fail and be recorded");
      bytes = readdirSync(out).reduce((s, f) => s + statSync(join(out, f)).size, 0);
      simSeconds = run.summary.duration;
      continue;
    }
    none.push(a);
    failing.push(b);
  }
  rmSync(dir, { recursive: true, force: true });
  const noneMs = median(none);
  const failingMs = median(failing);
  return { noneMs, failingMs, overheadPercent: 100 * (failingMs / noneMs - 1), bytes, simSeconds };
}
