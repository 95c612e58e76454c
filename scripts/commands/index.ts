import type { Command } from "commander";

/** Registers one subcommand on the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * One subcommand as the top-level `--help` lists it. Its module (options, description, action) is
 * loaded only when the command runs, so `approxcaliper --help` starts without loading the simulator,
 * three.js or onnxruntime.
 */
export interface CommandEntry {
  name: string;
  /** One line for the command list; the command's own `--help` has the full description. */
  summary: string;
  load: () => Promise<{ register: RegisterCommand }>;
}

/** Every subcommand, in the order `--help` lists them. */
export const commands: CommandEntry[] = [
  { name: "sim", summary: "drive a robot open-loop through a world", load: () => import("./sim.ts") },
  { name: "inspect", summary: "print an ONNX model's layers, params and FLOPs", load: () => import("./inspect.ts") },
  { name: "run", summary: "run a closed-loop pipeline over K seeds with a QoS verdict", load: () => import("./run.ts") },
  { name: "approx", summary: "prune or low-rank-factorize an ONNX model", load: () => import("./approx.ts") },
  { name: "levels", summary: "prune a model in N steps with learning-rate rewinding", load: () => import("./levels.ts") },
  { name: "dataset", summary: "render a perception dataset in randomized worlds", load: () => import("./dataset.ts") },
  { name: "train", summary: "train or fine-tune an ONNX model with onnxruntime", load: () => import("./train.ts") },
  { name: "calibrate", summary: "calibrate how much NN error the application tolerates", load: () => import("./calibrate.ts") },
  { name: "optimize", summary: "find smaller, faster NNs that still meet the QoS goal", load: () => import("./optimize.ts") },
  {
    name: "evidence",
    summary: "reproduce the paper's comparison (guided vs unguided, vs the agnostic baseline)",
    load: () => import("./evidence.ts"),
  },
  { name: "view", summary: "write a 3-D replay viewer (viewer.html) for recorded runs", load: () => import("./view.ts") },
  { name: "export", summary: "export a recorded run as MCAP for Foxglove / Lichtblick", load: () => import("./export.ts") },
  { name: "worker", summary: "run QoS simulations submitted with --queue (on any machine)", load: () => import("./worker.ts") },
];
