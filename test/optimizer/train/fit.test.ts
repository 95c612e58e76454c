import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { colorJitter, horizontalFlip } from "../../../optimizer/data/index.ts";
import { readModel } from "../../../optimizer/index.ts";
import { fit, type FitOptions } from "../../../optimizer/train/fit.ts";
import { mseLoss } from "../../../optimizer/train/losses/index.ts";
import { adam } from "../../../optimizer/train/optimizers/index.ts";
import { OneCycleSchedule } from "../../../optimizer/train/schedules/index.ts";
import { TrainingSession } from "../../../optimizer/train/TrainingSession.ts";
import { smallRegressionNet } from "./fixtures/nets.ts";
import { rampDataset } from "./fixtures/syntheticData.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "ac-fit-"));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// 44 samples, batch 8 → 6 steps per epoch (the last one partial), 3 epochs = 18 steps.
const train = rampDataset(44, 21);
const validation = rampDataset(16, 22);
const model = smallRegressionNet(23, { dropout: 0.2 });
const session = () => TrainingSession.create(model, { loss: mseLoss(), optimizer: adam(), seed: 5 });
const options = (dir?: string): FitOptions => ({
  train,
  validation,
  epochs: 3,
  batchSize: 8,
  schedule: new OneCycleSchedule({ maxLr: 0.02, totalSteps: 18 }),
  seed: 9,
  augment: [horizontalFlip(), colorJitter()],
  checkpoint: dir ? { dir, everySteps: 4 } : undefined,
});

describe("fit", () => {
  it("a killed run resumes from its checkpoint to the same weights, bit for bit", async () => {
    const full = await session();
    const reference = await fit(full, options());
    const refState = full.getState();
    await full.release();

    const dir = await tempDir();
    const killed = await session();
    // Die after step 10 (0-based): the last checkpoint is from step 8 (every 4 steps) and the epoch end at 6.
    await expect(
      fit(killed, {
        ...options(dir),
        onStep: ({ step }) => {
          if (step === 9) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    await killed.release();
    expect(existsSync(join(dir, "checkpoint.bin"))).toBe(true);

    const resumed = await session();
    const result = await fit(resumed, options(dir));
    expect(result.resumedFromStep).toBe(8);
    const state = resumed.getState();
    expect(state.step).toBe(18);
    for (const [name, value] of refState.tensors) expect(state.tensors.get(name), name).toEqual(value);
    expect(result.history).toEqual(reference.history);
    await resumed.release();

    // The checkpointed inference model is readable and carries the final weights.
    const saved = await readModel(join(dir, "model.onnx"));
    expect(saved.graph.initializers.get("conv1.weight")!.data).toEqual(refState.tensors.get("conv1.weight"));

    // A finished run resumed again does nothing more.
    const again = await session();
    const done = await fit(again, options(dir));
    expect(again.step).toBe(18);
    expect(done.history).toEqual(reference.history);
    await again.release();
  });

  it("stops early when the validation metric stops improving and restores the best weights", async () => {
    const s = await session();
    const worse = {
      name: "epoch",
      mode: "min" as const,
      calls: 0,
      compute() {
        // 1, 0.5, then worse each epoch: best epoch is 1, patience 2 stops after epoch 3.
        const values = [1, 0.5, 0.7, 0.9, 1.1, 1.3];
        return values[this.calls++];
      },
    };
    const snapshots: Float32Array[] = [];
    const result = await fit(s, {
      ...options(),
      checkpoint: undefined,
      epochs: 6,
      metric: worse,
      earlyStopping: { patience: 2 },
      onEpoch: () => snapshots.push(s.getState().tensors.get("fc.weight")!),
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(4);
    expect(result.bestEpoch).toBe(1);
    expect(result.bestValidation).toBe(0.5);
    expect(s.getState().tensors.get("fc.weight")).toEqual(snapshots[1]);
    expect(result.model.graph.initializers.get("fc.weight")!.data).toEqual(snapshots[1]);
    await s.release();
  });

  it("refuses a checkpoint from a run with other settings, and a damaged checkpoint, naming the file", async () => {
    const dir = await tempDir();
    const s = await session();
    await fit(s, { ...options(dir), epochs: 1 });
    await expect(fit(s, { ...options(dir), seed: 10 })).rejects.toThrow(/checkpoint\.bin: was written by a run with different settings/);
    await writeFile(join(dir, "checkpoint.bin"), "garbage");
    await expect(fit(s, options(dir))).rejects.toThrow(/checkpoint\.bin: not a valid checkpoint/);
    await s.release();
  });

  it("rejects mismatched data and bad options", async () => {
    const s = await session();
    await expect(fit(s, { ...options(), train: rampDataset(8, 1, 10, 10) })).rejects.toThrow(/fit\.train\.inputShape/);
    await expect(fit(s, { ...options(), epochs: 0 })).rejects.toThrow(/fit\.epochs/);
    await expect(fit(s, { ...options(), validation: undefined, earlyStopping: { patience: 1 } })).rejects.toThrow(/earlyStopping/);
    await s.release();
  });
});
