import { spawn } from "node:child_process";

/**
 * Runs the current script once per model name in child Node processes,
 * `parallel` at a time, each as `<script> --only <name> ...args`, and waits
 * for all of them.
 *
 * Why processes: onnxruntime-node runs a session on the calling JavaScript
 * thread, so two models trained "in parallel" in one process take turns on
 * one core (measured: `train:zoo --parallel 2` in one process kept one core
 * busy and the other idle).
 *
 * @throws Error naming every model whose process failed, after the others finished (their checkpoints are kept).
 */
export async function runPerModel(names: readonly string[], parallel: number, args: readonly string[]): Promise<void> {
  const queue = [...names];
  const failed: string[] = [];
  const runOne = (name: string) =>
    new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, process.argv[1], "--only", name, ...args], { stdio: "inherit" });
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
