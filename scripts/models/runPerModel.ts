import { spawn } from "node:child_process";

/** How {@link runPerModel} runs the models. */
export interface RunPerModelOptions {
  /** Models at a time, each in its own process; 1 (or a single model) runs them here, one after another. */
  parallel: number;
  /** Further arguments of each child process. */
  args: readonly string[];
  /** Runs one model in this process: what a child does with its `--only <name>`. */
  inProcess: (name: string) => Promise<void>;
}

/** The flag a child process gets: the parent has done the shared setup (datasets) and measures nothing. */
export const CHILD_FLAG = "--child";

/**
 * Runs the current script once per model name in child Node processes,
 * `parallel` at a time, each as `<script> --only <name> --child ...args`, and
 * waits for all of them; with `parallel` 1 or a single model, runs
 * `inProcess` for each name here instead.
 *
 * Why processes: onnxruntime-node runs a session on the calling JavaScript
 * thread, so two models trained "in parallel" in one process take turns on
 * one core (measured: `train:zoo --parallel 2` in one process kept one core
 * busy and the other idle).
 *
 * @throws Error naming every model whose process failed, after the others finished (their checkpoints are kept).
 */
export async function runPerModel(names: readonly string[], { parallel, args, inProcess }: RunPerModelOptions): Promise<void> {
  if (parallel <= 1 || names.length <= 1) {
    for (const name of names) await inProcess(name);
    return;
  }
  const queue = [...names];
  const failed: string[] = [];
  const runOne = (name: string) =>
    new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, process.argv[1], "--only", name, CHILD_FLAG, ...args], { stdio: "inherit" });
      child.on("error", (e) => {
        failed.push(`${name} (${e.message})`);
        resolve();
      });
      child.on("exit", (code, signal) => {
        if (code !== 0) failed.push(`${name} (${signal ?? `exit code ${code}`})`);
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(parallel, names.length)) }, async () => {
      for (let name = queue.shift(); name; name = queue.shift()) await runOne(name);
    }),
  );
  if (failed.length > 0) throw new Error(`failed: ${failed.join(", ")}; rerun to resume from their checkpoints`);
}
