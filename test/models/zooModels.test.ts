/**
 * The trained zoo under models/zoo: every model whose file is committed agrees
 * with its card (hash, FLOPs, params, shapes), has the architecture its
 * builder makes, and drives its application in the closed loop over random
 * worlds (8 here; `npm run bench:zoo` runs 40). Models not trained yet are
 * listed as skipped, never faked.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modelStats, readModel } from "../../optimizer/index.ts";
import { buildZooModel, ZOO, zooRecipeOf } from "../../scripts/models/zoo.ts";
import type { ZooCard } from "../../scripts/models/zooCard.ts";
import { zooPrimaryMetric } from "../../scripts/models/zooData.ts";
import { zooLevelRecipe } from "../../scripts/models/zooLevels.ts";
import { passRate, zooLoopCheck } from "../../scripts/models/zooLoop.ts";

const DIR = join(import.meta.dirname, "..", "..", "models", "zoo");
const trained = ZOO.filter((m) => existsSync(join(DIR, `${m.name}.onnx`)));
const card = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8")) as ZooCard;

describe("zoo model cards", () => {
  for (const m of ZOO) {
    it.skipIf(!trained.includes(m))(`${m.name}: card matches the file, the builder's architecture and the recipes in code`, async () => {
      const file = join(DIR, `${m.name}.onnx`);
      const c = card(m.name);
      expect(c.sha256).toBe(createHash("sha256").update(readFileSync(file)).digest("hex"));
      expect(c.sizeBytes).toBe(statSync(file).size);
      expect(c.sizeBytes).toBeLessThanOrEqual(8e6);
      const model = await readModel(file);
      const stats = modelStats(model);
      expect(c.flops).toBe(stats.totalFlops);
      expect(c.params).toBe(stats.totalParams);
      expect(model.graph.inputs[0].shape).toEqual(c.input.shape);
      expect(model.graph.outputs[0].name).toBe(c.output.name);
      // Same graph as the untrained builder output: only the weights were trained.
      const built = buildZooModel(m);
      expect(model.graph.nodes.map((n) => n.opType)).toEqual(built.graph.nodes.map((n) => n.opType));
      expect([...model.graph.initializers.values()].map((t) => t.dims)).toEqual([...built.graph.initializers.values()].map((t) => t.dims));
      expect(Number.isFinite(c.metrics.test[zooPrimaryMetric(m.task).name])).toBe(true);
      expect(c.latency?.medianMs).toBeGreaterThan(0);
      // The recipes the cards and level summaries record are the ones in code: a recipe edited without retraining shows here.
      const { bestEpoch, seconds, history, ...recipe } = c.training;
      expect([bestEpoch, seconds, history.length].every(Number.isFinite)).toBe(true);
      expect(recipe).toEqual(zooRecipeOf(m));
      expect(JSON.parse(readFileSync(join(DIR, `${m.name}.levels.json`), "utf8")).recipe).toEqual(zooLevelRecipe(m));
    });
  }
});

describe("zoo models in the closed loop over 8 random worlds never trained on", () => {
  const pairs = ZOO.filter((h) => h.task === "heading" && trained.includes(h)).flatMap((h) => {
    const d = ZOO.find((x) => x.task === "distance" && x.builder === h.builder);
    return d && trained.includes(d) ? [[h, d] as const] : [];
  });
  it.skipIf(pairs.length === 0)(
    "CropFollow with each trained heading + distance pair: 0 collisions on no fewer worlds than oracle perception minus 1",
    async () => {
      const oracle = passRate(await zooLoopCheck("cropfollow", { kind: "oracle" }, 8));
      for (const [heading, distance] of pairs) {
        const rate = passRate(await zooLoopCheck("cropfollow", { kind: "zoo", heading, distance }, 8, DIR));
        expect(rate, `${heading.name} + ${distance.name}`).toBeGreaterThanOrEqual(oracle - 1 / 8);
      }
    },
    600_000,
  );
  const lanes = ZOO.filter((m) => m.task === "lanenet" && trained.includes(m));
  it.skipIf(lanes.length === 0)(
    "the GEM with each trained LaneNet: 0 collisions on no fewer worlds than oracle perception minus 1",
    async () => {
      const oracle = passRate(await zooLoopCheck("gem", { kind: "oracle" }, 8));
      for (const m of lanes)
        expect(passRate(await zooLoopCheck("gem", { kind: "zoo", lanenet: m }, 8, DIR)), m.name).toBeGreaterThanOrEqual(oracle - 1 / 8);
    },
    600_000,
  );
});
