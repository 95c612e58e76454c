import { Presets, SingleBar } from "cli-progress";

/** Options of {@link stepProgress}. */
export interface StepProgressOptions {
  /** What is counted, plural (`"worlds"`, `"steps"`). */
  unit: string;
  /**
   * Off a terminal, at most one line per this many seconds (the last update
   * always prints), so a CI log of a long loop shows it without flooding.
   * @default 0 (a line per update)
   */
  lineEverySeconds?: number;
}

/** Progress of one long command, made by {@link stepProgress}. */
export interface StepProgress {
  /** `done` of the total units are finished; `status` says what is going on now. */
  update(done: number, status?: string): void;
  /** Prints a result line on stdout without breaking the bar. */
  log(line: string): void;
  /** Removes the bar (nothing to do off a terminal). */
  stop(): void;
}

/**
 * Progress on stderr: a bar with an ETA on a terminal, else plain lines
 * (`train [120/900 steps] ETA 1m 05s | epoch 1/3 loss 0.0123`), since a
 * redrawn bar shows nothing in a log file; a line that would repeat the
 * previous one is left out.
 *
 * @example
 * const p = stepProgress("dataset cropfollow", 40, { unit: "worlds", lineEverySeconds: 10 });
 * for (let i = 0; i < 40; i++) { render(i); p.update(i + 1); }
 * p.stop();
 */
export function stepProgress(title: string, total: number, opts: StepProgressOptions): StepProgress {
  const everyMs = (opts.lineEverySeconds ?? 0) * 1000;
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: `${title} {bar} {value}/{total} ${opts.unit} | ETA {eta_formatted} | {status}`, clearOnComplete: true, hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  const t0 = performance.now();
  let first: { done: number; at: number } | undefined;
  let done = 0;
  let status = "";
  let running = false;
  let lastLine = -Infinity;
  let lastPrinted = "";
  const eta = (now: number): string => {
    if (!first || done <= first.done || now <= first.at) return "…";
    const s = (((now - first.at) / (done - first.done)) * (total - done)) / 1000;
    return s >= 60 ? `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.round(s)}s`;
  };
  return {
    update(d, s = "") {
      done = d;
      status = s;
      const now = performance.now();
      first ??= { done: d, at: now };
      if (bar) {
        if (!running) bar.start(total, d, { status });
        running = true;
        bar.update(d, { status });
        return;
      }
      const line = `${d}\n${s}`;
      if (line === lastPrinted || (d < total && now - lastLine < everyMs)) return;
      lastLine = now;
      lastPrinted = line;
      const timing = d < total ? ` ETA ${eta(now)}` : ` in ${((now - t0) / 1000).toFixed(1)} s`;
      process.stderr.write(`${title.trimEnd()} [${d}/${total} ${opts.unit}]${timing}${s ? ` | ${s}` : ""}\n`);
    },
    log(line) {
      if (!running) return void console.log(line);
      bar!.stop();
      console.log(line);
      bar!.start(total, done, { status });
    },
    stop() {
      if (running) bar!.stop();
      running = false;
    },
  };
}
