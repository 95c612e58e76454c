import { describe, expect, it } from "vitest";
import { Random } from "../../../common/index.ts";
import { GraphWriter } from "../../../optimizer/train/GraphWriter.ts";
import { adam, adamW, sgd, type Optimizer } from "../../../optimizer/train/optimizers/index.ts";
import { emptyGraph, runGraph } from "./fixtures/runGraph.ts";

const N = 7;

/** Runs `steps` updates of `opt` in ONNX on one parameter with fixed random gradients. */
async function onnxSteps(opt: Optimizer, p0: Float32Array, grads: Float32Array[], lrs: number[]) {
  const g = emptyGraph();
  const w = new GraphWriter(g, "opt");
  const state = opt.stateSlots.map((s) => w.input(`state.${s}`, [N]));
  const upd = opt.append(w, { param: w.input("p", [N]), grad: w.input("g", [N]), state }, w.input("lr", []), w.input("t", []));
  w.output(upd.param);
  upd.state.forEach((s) => w.output(s));
  let p: Float32Array = p0;
  let st: Float32Array[] = opt.stateSlots.map(() => new Float32Array(N));
  for (let k = 0; k < grads.length; k++) {
    const feeds: Record<string, [ArrayLike<number>, number[]]> = { p: [p, [N]], g: [grads[k], [N]], lr: [[lrs[k]], []], t: [[k + 1], []] };
    opt.stateSlots.forEach((s, i) => (feeds[`state.${s}`] = [st[i], [N]]));
    const out = await runGraph(g, feeds);
    p = out[upd.param];
    st = upd.state.map((s) => out[s]);
  }
  return p;
}

function randomVectors(seed: number, count: number): Float32Array[] {
  const r = new Random(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: N }, () => r.normal()));
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number) {
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
}

describe("optimizers as ONNX update nodes", () => {
  const [p0, ...grads] = randomVectors(1, 4);
  const lrs = [0.1, 0.05, 0.02];

  it("SGD with momentum, weight decay and nesterov matches the hand-computed update", async () => {
    for (const nesterov of [false, true]) {
      const mu = 0.9;
      const wd = 0.01;
      const p = Array.from(p0, Number);
      const buf = new Array<number>(N).fill(0);
      for (let k = 0; k < grads.length; k++) {
        for (let i = 0; i < N; i++) {
          const g = grads[k][i] + wd * p[i];
          buf[i] = mu * buf[i] + g;
          p[i] -= lrs[k] * (nesterov ? g + mu * buf[i] : buf[i]);
        }
      }
      expectClose(await onnxSteps(sgd({ momentum: mu, weightDecay: wd, nesterov }), p0, grads, lrs), p, 1e-6);
    }
  });

  it("plain SGD has no state", async () => {
    const opt = sgd();
    expect(opt.stateSlots).toEqual([]);
    const p = Array.from(p0, (v, i) => v - 0.1 * grads[0][i]);
    expectClose(await onnxSteps(opt, p0, [grads[0]], [0.1]), p, 1e-6);
  });

  for (const decoupled of [false, true]) {
    it(`${decoupled ? "AdamW" : "Adam"} matches the hand-computed update over several steps`, async () => {
      const [b1, b2, eps, wd] = [0.9, 0.99, 1e-8, 0.05];
      const p = Array.from(p0, Number);
      const m = new Array<number>(N).fill(0);
      const v = new Array<number>(N).fill(0);
      for (let k = 0; k < grads.length; k++) {
        const t = k + 1;
        for (let i = 0; i < N; i++) {
          let g = grads[k][i];
          if (decoupled) p[i] *= 1 - lrs[k] * wd;
          else g += wd * p[i];
          m[i] = b1 * m[i] + (1 - b1) * g;
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
          p[i] -= (lrs[k] / (1 - b1 ** t)) * (m[i] / denom);
        }
      }
      const opt = (decoupled ? adamW : adam)({ beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd });
      expectClose(await onnxSteps(opt, p0, grads, lrs), p, 2e-6);
    });
  }

  it("rejects bad hyper-parameters", () => {
    expect(() => sgd({ momentum: 1 })).toThrow(/sgd\.momentum/);
    expect(() => sgd({ nesterov: true })).toThrow(/nesterov/);
    expect(() => adam({ beta2: 1.5 })).toThrow(/adam\.beta2/);
  });
});
