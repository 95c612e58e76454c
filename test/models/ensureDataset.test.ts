import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDataset } from "../../scripts/models/ensureDataset.ts";

describe("ensureDataset", () => {
  const root = mkdtempSync(join(tmpdir(), "ensure-dataset-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("names a cut-short dataset.json instead of regenerating over it", async () => {
    mkdirSync(join(root, "cropfollow"));
    writeFileSync(join(root, "cropfollow", "dataset.json"), '{"version": 3, "splits": {');
    await expect(ensureDataset(root, { kind: "cropfollow", worlds: 2, perWorld: 1, seed: 1, width: 32, height: 24 })).rejects.toThrow(
      /cropfollow[/\\]dataset\.json: not valid JSON/,
    );
  });
});
