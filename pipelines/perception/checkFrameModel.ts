import { InputError } from "../../common/index.ts";
import type { NetworkSpec } from "../application/ApplicationSpec.ts";
import type { OnnxFrameModel } from "./OnnxFrameModel.ts";

/** `[N, 1]`, `[N, 1|2, h, w]`: what a network spec's output looks like, for messages. */
export function describeSpecOutput(network: NetworkSpec): string {
  return network.output.kind === "vector" ? `[N, ${network.output.size}]` : `[N, ${network.output.channels.join("|")}, h, w] (a lane mask)`;
}

/**
 * Refuses an ONNX frame model whose outputs do not match the application
 * spec's networks it stands for, before any run, naming the file, the
 * networks, the expected and the actual outputs. The spec's
 * {@link NetworkSpec.output} is the one statement of those shapes.
 *
 * One model may stand for several `vector` networks (CropFollow's
 * single-network layout): either its first output holds all their values in
 * spec order, or its first outputs are theirs, one each. Outputs whose shape
 * the model does not declare pass (they are checked when they arrive).
 *
 * @param networks the spec networks this model computes, in spec order.
 * @param application the application's name, for the message.
 * @throws InputError naming `model.path`.
 */
export function checkFrameModel(model: OnnxFrameModel, networks: readonly NetworkSpec[], application: string): void {
  const names = networks.map((n) => `"${n.name}"`).join(" + ");
  const got = model.outputNames.map((_, i) => model.describeOutput(i)).join(", ");
  const refuse = (expected: string): never => {
    throw new InputError(model.path, `${application} network ${names}: expected output ${expected}, got ${got}; is it the right network?`);
  };
  const [first] = networks;
  if (networks.length === 1 && first.output.kind === "mask") {
    const dims = model.outputShape(0);
    if (dims && !(dims.length === 4 && first.output.channels.includes(dims[1] as 1 | 2))) refuse(describeSpecOutput(first));
    return;
  }
  const sizes = networks.map((n) => {
    if (n.output.kind !== "vector") throw new Error(`checkFrameModel: network "${n.name}" is a mask; only vector networks share one model`);
    return n.output.size;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const values = (i: number) => (i < model.outputNames.length ? model.outputValues(i) : null);
  const whole = values(0);
  if (whole === undefined || whole === total) return;
  if (sizes.length > 1 && sizes.every((s, i) => values(i) === undefined || values(i) === s)) return;
  refuse(sizes.length === 1 ? `[N, ${total}]` : `[N, ${total}] or ${sizes.map((s) => `[N, ${s}]`).join(" + ")} (one output per network)`);
}
