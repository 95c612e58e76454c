import type { GraphWriter } from "../GraphWriter.ts";

/** Mean over all elements as a scalar (`ReduceMean`, no axes, keepdims 0). */
export function meanOf(w: GraphWriter, x: string): string {
  return w.op("ReduceMean", [x], { keepdims: 0 }, []);
}
