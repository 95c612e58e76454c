import { InputError } from "../../common/index.ts";

/**
 * A model file (or in-memory model) that is not a valid ONNX model for us:
 * not a protobuf, truncated, empty, wrong tensor sizes, dangling edges,
 * cycles. `where` names the file, and the message names the tensor, node or
 * value at fault.
 */
export class ModelFormatError extends InputError {
  constructor(where: string, message: string) {
    super(where, message);
    this.name = "ModelFormatError";
  }
}

/**
 * An operator this library cannot analyse (shape inference, FLOPs, folding).
 * Names the op and node and lists what is supported, so the user knows what
 * to change in the export.
 */
export class UnsupportedOpError extends InputError {
  /** The unsupported operator type, e.g. `LSTM`. */
  readonly opType: string;
  /** The name of the node using it. */
  readonly nodeName: string;

  constructor(where: string, opType: string, nodeName: string, supported: readonly string[], context = "") {
    super(
      where,
      `unsupported op ${opType} at node "${nodeName}"${context ? ` (${context})` : ""}; supported ops: ${[...supported].sort().join(", ")}`,
    );
    this.name = "UnsupportedOpError";
    this.opType = opType;
    this.nodeName = nodeName;
  }
}
