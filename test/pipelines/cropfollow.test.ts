import { describe, expect, it } from "vitest";
import { Random, RowEkf, RowMpc } from "../../index.ts";

const W = 0.76;

/**
 * A synthetic drive between rows: v = 0.6 m/s, a weaving yaw rate, gyro with
 * bias and noise at 100 Hz, noisy (φ, d) at 10 Hz captured `latency` s before
 * they arrive. Returns RMS errors of the raw measurements and of the filter.
 */
function drive(seed: number, latency: number, rewind: boolean): { raw: [number, number]; ekf: [number, number] } {
  const rng = new Random(seed);
  const dt = 0.01;
  const v = 0.6;
  const headingStd = 0.08;
  const dStd = 0.06;
  const ekf = new RowEkf({ rowSpacing: W, headingMeasurementStd: headingStd, distanceMeasurementStd: dStd, historySeconds: 1 });
  let y = 0.03;
  let psi = -0.02;
  const queue: { tCapture: number; phi: number; d: number }[] = [];
  let rawY = 0,
    rawP = 0,
    estY = 0,
    estP = 0,
    n = 0;
  const gyroBias = 0.003;
  for (let k = 1; k <= 3000; k++) {
    const t = k * dt;
    const omega = 0.25 * Math.sin(0.9 * t) - 1.5 * y - 0.8 * psi;
    psi += omega * dt;
    y += v * Math.sin(psi) * dt;
    ekf.predict(t, v + rng.normal(0, 0.02), omega + gyroBias + rng.normal(0, 0.002));
    if (k % 10 === 0) {
      queue.push({ tCapture: t, phi: psi + rng.normal(0, headingStd), d: 0.5 - y / W + rng.normal(0, dStd) });
    }
    while (queue.length > 0 && queue[0].tCapture + latency <= t + 1e-9) {
      const m = queue.shift()!;
      ekf.update(rewind ? m.tCapture : t, m.phi, m.d);
      if (k > 200) {
        const mRawY = (0.5 - m.d) * W;
        rawY += (mRawY - y) ** 2;
        rawP += (m.phi - psi) ** 2;
        estY += (ekf.y - y) ** 2;
        estP += (ekf.psi - psi) ** 2;
        n++;
      }
    }
  }
  return { raw: [Math.sqrt(rawY / n), Math.sqrt(rawP / n)], ekf: [Math.sqrt(estY / n), Math.sqrt(estP / n)] };
}

describe("RowEkf", () => {
  it("estimates offset and heading with lower RMS error than raw noisy perception", () => {
    for (const seed of [1, 2, 3]) {
      const r = drive(seed, 0, true);
      expect(r.ekf[0]).toBeLessThan(0.6 * r.raw[0]);
      expect(r.ekf[1]).toBeLessThan(0.6 * r.raw[1]);
    }
  });

  it("applies late measurements at their capture time, beating applying them on arrival", () => {
    let rewound = 0;
    let naive = 0;
    for (const seed of [1, 2, 3]) {
      rewound += drive(seed, 0.3, true).ekf[1];
      naive += drive(seed, 0.3, false).ekf[1];
    }
    expect(rewound).toBeLessThan(naive);
  });

  it("skips an outlier but accepts a persistent change after a few rejections", () => {
    const ekf = new RowEkf({ maxConsecutiveRejects: 3, initialStd: [0.02, 0.02] });
    ekf.predict(0.01, 0, 0);
    expect(ekf.update(0.01, 1.5, 0.5)).toBe(false);
    expect(ekf.update(0.01, 1.5, 0.5)).toBe(false);
    expect(ekf.update(0.01, 1.5, 0.5)).toBe(false);
    expect(ekf.update(0.01, 1.5, 0.5)).toBe(true);
    expect(ekf.stats.rejected).toBe(3);
  });

  it("drops measurements older than its history", () => {
    const ekf = new RowEkf({ historySeconds: 0.1, inertialRateHz: 100 });
    for (let k = 1; k <= 100; k++) ekf.predict(k * 0.01, 0.5, 0);
    expect(ekf.update(0.2, 0, 0.5)).toBe(false);
    expect(ekf.stats.tooLate).toBe(1);
  });
});

describe("RowMpc", () => {
  it("steers back toward the centre line and respects the yaw-rate bound", () => {
    const mpc = new RowMpc({ speed: 0.6, period: 0.05, maxOmega: 0.5 });
    // Left of centre → turn right (negative ω); heading right → turn left.
    expect(mpc.command(0.1, 0)).toBeLessThan(0);
    mpc.reset();
    expect(mpc.command(0, -0.2)).toBeGreaterThan(0);
    mpc.reset();
    // A large offset saturates at the bound.
    expect(Math.abs(mpc.command(2, 0))).toBeLessThanOrEqual(0.5 + 1e-12);
    expect(mpc.constrainedSolves).toBeGreaterThan(0);
  });

  it("regulates a simulated unicycle to the centre without overshooting the row", () => {
    const mpc = new RowMpc({ speed: 0.6, period: 0.05 });
    let y = 0.15;
    let psi = 0.1;
    let maxAbs = 0;
    for (let k = 0; k < 200; k++) {
      const w = mpc.command(y, psi);
      for (let i = 0; i < 5; i++) {
        psi += w * 0.01;
        y += 0.6 * Math.sin(psi) * 0.01;
      }
      if (k > 20) maxAbs = Math.max(maxAbs, Math.abs(y));
    }
    expect(Math.abs(y)).toBeLessThan(0.005);
    expect(Math.abs(psi)).toBeLessThan(0.01);
    expect(maxAbs).toBeLessThan(0.15);
  });
});
