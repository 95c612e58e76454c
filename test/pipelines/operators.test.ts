import { asyncScheduler, map, timer } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import {
  RowEkf,
  SimScheduler,
  fuseRowEstimate,
  holdLatest,
  perceive,
  withLatency,
  type InertialSample,
  type PerceptionSource,
  type RowMeasurement,
  type Stamped,
} from "../../index.ts";

// Inside TestScheduler.run, RxJS routes asyncScheduler through virtual marble time (1 frame = 1 ms).
const marbles = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe("holdLatest", () => {
  it("re-emits the latest value at a fixed rate, nothing before the first value", () => {
    marbles().run(({ cold, expectObservable }) => {
      const src = cold("  -a-------b-----|");
      // Period 4 ms (0.004 s), first tick at 0: ticks at 0, 4, 8, 12; the upstream completes at 15.
      const expected = "----a---a---b--|";
      expectObservable(src.pipe(holdLatest(0.004, asyncScheduler))).toBe(expected);
    });
  });
});

describe("withLatency", () => {
  it("delays every value by the latency in scheduler time and keeps order", () => {
    marbles().run(({ cold, expectObservable }) => {
      const src = cold("a-b---c|");
      expectObservable(src.pipe(withLatency(0.003, asyncScheduler))).toBe("---a-b---(c|)");
    });
  });

  it("passes values through unchanged with zero latency", () => {
    marbles().run(({ cold, expectObservable }) => {
      const src = cold("a-b|");
      expectObservable(src.pipe(withLatency(0, asyncScheduler))).toBe("a-b|");
    });
  });
});

describe("fuseRowEstimate", () => {
  it("emits an estimate per inertial sample and applies measurements without emitting", () => {
    marbles().run(({ cold, expectObservable }) => {
      const ekf = new RowEkf({ initialStd: [0.2, 0.2] });
      const inertial = (t: number): InertialSample => ({ kind: "inertial", t, v: 0.5, omega: 0 });
      const meas: Stamped<RowMeasurement> = { t: 0.02, value: { heading: 0.1, distanceRatio: 0.5 } };
      const src = cold("a-m-b|", { a: inertial(0.01), m: meas, b: inertial(0.03) });
      const out = src.pipe(
        fuseRowEstimate(ekf),
        map((e) => ({ t: e.t, positivePsi: e.psi > 0 })),
      );
      // Before the measurement ψ is 0; after it the estimate has moved toward φ = 0.1.
      expectObservable(out).toBe("a---b|", { a: { t: 0.01, positivePsi: false }, b: { t: 0.03, positivePsi: true } });
    });
  });
});

describe("SimScheduler", () => {
  it("runs periodic work on simulated time only, in due order", () => {
    const s = new SimScheduler();
    const log: string[] = [];
    const subA = timer(0, 100, s).subscribe((i) => log.push(`a${i}@${s.now()}`));
    const subB = timer(50, 100, s).subscribe((i) => log.push(`b${i}@${s.now()}`));
    expect(log).toEqual([]);
    s.advanceTo(0);
    expect(log).toEqual(["a0@0"]);
    s.advanceTo(260);
    expect(log).toEqual(["a0@0", "b0@50", "a1@100", "b1@150", "a2@200", "b2@250"]);
    subA.unsubscribe();
    s.advanceTo(400);
    expect(log.slice(6)).toEqual(["b3@350"]);
    subB.unsubscribe();
    expect(s.queued).toBe(0);
  });

  it("fires an action due at 100 ms when float steps land just below it", () => {
    const s = new SimScheduler();
    let fired = 0;
    timer(100, s).subscribe(() => fired++);
    let t = 0;
    for (let i = 0; i < 20; i++) {
      t += 0.005;
      s.advanceTo(t * 1000);
    }
    expect(fired).toBe(1);
  });
});

describe("perceive", () => {
  it("stamps outputs with the capture time and waits for asynchronous sources via the scheduler", async () => {
    const s = new SimScheduler();
    let calls = 0;
    const source: PerceptionSource<number> = {
      kind: "onnx",
      camera: undefined,
      attach: () => undefined,
      perceive: () => Promise.resolve(++calls),
      dispose: () => undefined,
    };
    const got: Stamped<number>[] = [];
    timer(0, 100, s)
      .pipe(perceive(source, s))
      .subscribe((v) => got.push(v));
    s.advanceTo(0);
    expect(s.busy).toBe(true);
    await s.settle();
    s.advanceTo(100);
    await s.settle();
    expect(got).toEqual([
      { t: 0, value: 1 },
      { t: 0.1, value: 2 },
    ]);
  });

  it("routes a failing asynchronous source to the subscriber's error channel", async () => {
    const s = new SimScheduler();
    const source: PerceptionSource<number> = {
      kind: "onnx",
      camera: undefined,
      attach: () => undefined,
      perceive: () => Promise.reject(new Error("boom")),
      dispose: () => undefined,
    };
    let error: unknown;
    timer(0, s)
      .pipe(perceive(source, s))
      .subscribe({ error: (e) => (error = e) });
    s.advanceTo(0);
    await s.settle();
    expect(String(error)).toContain("boom");
  });
});
