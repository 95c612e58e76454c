import { InputError } from "../../common/index.ts";
import type { NnModel } from "./NnModel.ts";

/** What a network is expected to take and give, per sample (batch dim excluded). */
export interface ExpectedShapes {
  /** Input shape per sample, e.g. `[3, 48, 64]`. */
  input: readonly number[];
  /** What gives that input, for the message, e.g. `the dataset's images`. */
  inputSource: string;
  /** Values per sample of the first output, when fixed (e.g. 1 for one regression label). */
  outputValues?: number;
  /** What reads the output, for the message, e.g. `the dataset's labels`. */
  outputSource?: string;
}

/**
 * Checks a loaded network against what its application or dataset feeds it
 * and reads from it, before anything runs, so the wrong network (a
 * segmentation net given as a regressor, a net for another camera size) is
 * refused with both shapes instead of failing deep inside a run.
 *
 * @param where the file or config field naming the network, e.g. `c.json: models.heading`.
 * @param role what the network is for, e.g. `network "heading"`.
 * @throws InputError naming `where`, the role, the expected and the actual shapes.
 */
export function checkNetworkShapes(nn: NnModel, expected: ExpectedShapes, where: string, role: string): void {
  const actual = nn.inputShape.slice(1);
  if (actual.length !== expected.input.length || actual.some((d, i) => d !== expected.input[i])) {
    throw new InputError(
      where,
      `${role} takes input "${nn.inputName}" of shape [N, ${actual.join(", ")}] but ${expected.inputSource} are [N, ${expected.input.join(", ")}]; is it the right network?`,
    );
  }
  if (expected.outputValues === undefined) return;
  const out = nn.model.graph.outputs[0];
  const dims = out?.shape?.slice(1);
  if (!dims || dims.some((d) => typeof d !== "number")) return;
  const values = (dims as number[]).reduce((a, b) => a * b, 1);
  if (values !== expected.outputValues) {
    throw new InputError(
      where,
      `${role} gives output "${out.name}" of shape [N, ${dims.join(", ")}] (${values} values per sample) but ${expected.outputSource ?? "its readers"} need ${expected.outputValues}; is it the right network?`,
    );
  }
}
