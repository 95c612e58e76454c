/**
 * Reading and writing `.onnx` files: onnx-proto (protobufjs) messages ⇄ the IR
 * in `ir.ts`.
 *
 * Decoding accepts what `torch.onnx.export` and tf2onnx write: tensor data in
 * raw_data or the typed fields (float_data, int32_data, int64_data,
 * double_data), external data files, initializers listed as graph inputs
 * (IR < 4). Encoding always writes tensor data inline as raw_data
 * (little-endian), so an unchanged model keeps its initializer bytes.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { InputError, writeFileAtomic } from "../../common/index.ts";
import onnxProto from "onnx-proto";
import type { onnx as P } from "onnx-proto";
import { attributeKind } from "./attributes.ts";
import { ModelFormatError } from "./errors.ts";
import type { AttributeKind, AttributeValue, Dim, Graph, Model, Node, Tensor, ValueInfo } from "./ir.ts";
import { DataType } from "./ir.ts";
import { allocateData, dataFromRawBytes, elementCount, isSupportedDataType, rawBytesOf } from "./tensor.ts";
import { validateModel } from "./validateModel.ts";

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;

/** Options for {@link decodeModel}. */
export interface DecodeOptions {
  /**
   * Folder that external tensor data locations are relative to (the model
   * file's folder). Without it, a model with external data is rejected.
   */
  baseDir?: string;
}

/**
 * Decodes and validates an ONNX model.
 *
 * @param bytes the file contents.
 * @param where the file name (or another label) used in error messages.
 * @throws ModelFormatError naming `where` for empty, truncated or non-ONNX
 *   bytes, unsupported data types, missing external data, wrong tensor sizes,
 *   dangling edges and cycles (see `validateModel`).
 */
export function decodeModel(bytes: Uint8Array, where: string, opts: DecodeOptions = {}): Model {
  const fail = (msg: string): never => {
    throw new ModelFormatError(where, msg);
  };
  if (bytes.byteLength === 0) fail("empty file, not an ONNX model");
  let proto: P.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (err) {
    return fail(`not a valid ONNX protobuf (truncated or corrupt): ${(err as Error).message}`);
  }
  if (!proto.graph) fail("no graph in the file; not an ONNX model (or truncated)");
  const irVersion = toInt(proto.irVersion, "ir_version", fail);
  if (irVersion <= 0) fail(`missing or invalid ir_version ${irVersion}; not an ONNX model`);
  const opsets: Record<string, number> = {};
  for (const o of proto.opsetImport) opsets[o.domain === "ai.onnx" ? "" : (o.domain ?? "")] = toInt(o.version, "opset", fail);
  const metadata: Record<string, string> = {};
  for (const e of proto.metadataProps) metadata[e.key ?? ""] = e.value ?? "";
  const ctx: Ctx = { where, baseDir: opts.baseDir, fail };
  const model: Model = {
    irVersion,
    opsets,
    producerName: proto.producerName,
    producerVersion: proto.producerVersion,
    docString: proto.docString,
    metadata,
    graph: decodeGraph(proto.graph!, ctx),
  };
  if (proto.domain) model.domain = proto.domain;
  const modelVersion = toInt(proto.modelVersion, "model_version", fail);
  if (modelVersion) model.modelVersion = modelVersion;
  validateModel(model, where);
  return model;
}

/**
 * Encodes a model as ONNX protobuf bytes. Tensor data is written inline as
 * raw_data; attribute kinds come from {@link Node.attributeTypes} or are
 * derived (see `attributeKind`).
 */
export function encodeModel(model: Model): Uint8Array {
  const g = model.graph;
  const initializers = [...g.initializers.values()];
  const inputs = g.inputs.map(encodeValueInfo);
  // Before IR 4 every initializer also had to be a graph input.
  if (model.irVersion < 4) {
    for (const t of initializers) inputs.push(encodeValueInfo({ name: t.name, dataType: t.dataType, shape: t.dims }));
  }
  const graph: P.IGraphProto = {
    name: g.name,
    node: g.nodes.map(encodeNode),
    input: inputs,
    output: g.outputs.map(encodeValueInfo),
    initializer: initializers.map(encodeTensor),
    valueInfo: [...g.valueInfo.values()].map(encodeValueInfo),
  };
  const proto: P.IModelProto = {
    irVersion: model.irVersion,
    opsetImport: Object.entries(model.opsets).map(([domain, version]) => ({ domain, version })),
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    docString: model.docString,
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
    graph,
  };
  if (model.domain) proto.domain = model.domain;
  if (model.modelVersion) proto.modelVersion = model.modelVersion;
  return onnx.ModelProto.encode(proto).finish();
}

/**
 * Reads, decodes and validates a `.onnx` file; external data is resolved
 * relative to the file's folder.
 *
 * @throws ModelFormatError naming the file (see {@link decodeModel}), or
 *   when the file cannot be read.
 */
export async function readModel(path: string): Promise<Model> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ModelFormatError(path, `cannot read model file: ${(err as Error).message}`);
  }
  return decodeModel(bytes, path, { baseDir: dirname(resolve(path)) });
}

/**
 * Encodes `model` (see {@link encodeModel}) and writes it to `path`
 * atomically (temporary file + rename: a killed process never leaves a torn
 * model).
 *
 * @throws InputError naming `path` when it cannot be written.
 */
export async function writeModel(model: Model, path: string): Promise<void> {
  const bytes = encodeModel(model);
  try {
    await writeFileAtomic(path, bytes);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code) throw new InputError(path, `cannot write model file (${e.code}: ${e.message.replace(/^[A-Z]+: /, "")})`);
    throw err;
  }
}

interface Ctx {
  where: string;
  baseDir: string | undefined;
  fail: (msg: string) => never;
}

type IntLike = number | { toNumber(): number } | null | undefined;

function toInt(v: IntLike, what: string, fail: (msg: string) => never): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === "number" ? v : v.toNumber();
  if (!Number.isSafeInteger(n)) fail(`${what} value ${String(v)} is out of range`);
  return n;
}

function utf8(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8");
}

function decodeGraph(gp: P.IGraphProto, ctx: Ctx): Graph {
  const initializers = new Map<string, Tensor>();
  for (const t of gp.initializer ?? []) {
    const tensor = decodeTensor(t, `initializer "${t.name}"`, ctx);
    if (!tensor.name) ctx.fail("an initializer has no name");
    if (initializers.has(tensor.name)) ctx.fail(`initializer "${tensor.name}" is defined twice`);
    initializers.set(tensor.name, tensor);
  }
  if ((gp.sparseInitializer ?? []).length > 0) ctx.fail("sparse initializers are not supported");
  const inputs = (gp.input ?? []).filter((v) => !initializers.has(v.name ?? "")).map((v) => decodeValueInfo(v, "graph input", ctx));
  const outputs = (gp.output ?? []).map((v) => decodeValueInfo(v, "graph output", ctx));
  const valueInfo = new Map<string, ValueInfo>();
  for (const v of gp.valueInfo ?? []) valueInfo.set(v.name ?? "", decodeValueInfo(v, "value_info", ctx));
  const nodes = (gp.node ?? []).map((n) => decodeNode(n, ctx));
  nameNodes(nodes);
  return { name: gp.name ?? "", nodes, inputs, outputs, initializers, valueInfo };
}

/** Gives unnamed (or duplicate-named) nodes unique names `<OpType>_<k>`. */
function nameNodes(nodes: Node[]): void {
  const used = new Set<string>();
  for (const n of nodes) if (n.name) used.add(n.name);
  const seen = new Set<string>();
  let k = 0;
  for (const n of nodes) {
    if (n.name && !seen.has(n.name)) {
      seen.add(n.name);
      continue;
    }
    let name: string;
    do name = `${n.opType}_${k++}`;
    while (used.has(name));
    used.add(name);
    seen.add(name);
    n.name = name;
  }
}

function decodeNode(np: P.INodeProto, ctx: Ctx): Node {
  const name = np.name ?? "";
  const opType = np.opType ?? "";
  const label = `node "${name || "(unnamed)"}" (${opType})`;
  const attributes: Record<string, AttributeValue> = {};
  const attributeTypes: Record<string, AttributeKind> = {};
  for (const a of np.attribute ?? []) {
    const aname = a.name ?? "";
    const what = `attribute "${aname}" of ${label}`;
    if (a.refAttrName) ctx.fail(`${what} refers to a function attribute, which is not supported`);
    switch (a.type) {
      case AT.INT:
        attributes[aname] = toInt(a.i, what, ctx.fail);
        attributeTypes[aname] = "int";
        break;
      case AT.FLOAT:
        attributes[aname] = a.f ?? 0;
        attributeTypes[aname] = "float";
        break;
      case AT.STRING:
        attributes[aname] = utf8(a.s ?? new Uint8Array());
        attributeTypes[aname] = "string";
        break;
      case AT.TENSOR:
        attributes[aname] = decodeTensor(a.t ?? {}, what, ctx);
        attributeTypes[aname] = "tensor";
        break;
      case AT.INTS:
        attributes[aname] = (a.ints ?? []).map((v) => toInt(v, what, ctx.fail));
        attributeTypes[aname] = "ints";
        break;
      case AT.FLOATS:
        attributes[aname] = [...(a.floats ?? [])];
        attributeTypes[aname] = "floats";
        break;
      case AT.STRINGS:
        attributes[aname] = (a.strings ?? []).map(utf8);
        attributeTypes[aname] = "strings";
        break;
      case AT.TENSORS:
        attributes[aname] = (a.tensors ?? []).map((t) => decodeTensor(t, what, ctx));
        attributeTypes[aname] = "tensors";
        break;
      case AT.GRAPH:
      case AT.GRAPHS:
        ctx.fail(`${what} is a subgraph; control flow (If/Loop/Scan) is not supported`);
        break;
      default:
        ctx.fail(`${what} has unsupported attribute type ${String(a.type)}`);
    }
  }
  return {
    name,
    opType,
    domain: np.domain === "ai.onnx" ? "" : (np.domain ?? ""),
    inputs: [...(np.input ?? [])],
    outputs: [...(np.output ?? [])],
    attributes,
    attributeTypes,
  };
}

function encodeNode(n: Node): P.INodeProto {
  const attribute: P.IAttributeProto[] = [];
  for (const [name, value] of Object.entries(n.attributes)) {
    const kind = attributeKind(n, name);
    const a: P.IAttributeProto = { name };
    switch (kind) {
      case "int":
        a.type = AT.INT;
        a.i = value as number;
        break;
      case "float":
        a.type = AT.FLOAT;
        a.f = value as number;
        break;
      case "string":
        a.type = AT.STRING;
        a.s = Buffer.from(value as string, "utf8");
        break;
      case "tensor":
        a.type = AT.TENSOR;
        a.t = encodeTensor(value as Tensor);
        break;
      case "ints":
        a.type = AT.INTS;
        a.ints = value as number[];
        break;
      case "floats":
        a.type = AT.FLOATS;
        a.floats = value as number[];
        break;
      case "strings":
        a.type = AT.STRINGS;
        a.strings = (value as string[]).map((s) => Buffer.from(s, "utf8"));
        break;
      case "tensors":
        a.type = AT.TENSORS;
        a.tensors = (value as Tensor[]).map(encodeTensor);
        break;
    }
    attribute.push(a);
  }
  const np: P.INodeProto = { name: n.name, opType: n.opType, input: n.inputs, output: n.outputs, attribute };
  if (n.domain) np.domain = n.domain;
  return np;
}

function decodeTensor(tp: P.ITensorProto, what: string, ctx: Ctx): Tensor {
  const name = tp.name ?? "";
  const code = tp.dataType ?? 0;
  if (!isSupportedDataType(code)) {
    ctx.fail(`${what} has data type ${code}, which is not supported (supported: ${Object.keys(DataType).join(", ")})`);
  }
  const dataType = code as DataType;
  const dims = (tp.dims ?? []).map((d) => toInt(d, `${what} dims`, ctx.fail));
  for (const d of dims) if (d < 0) ctx.fail(`${what} has negative dims [${dims.join(", ")}]`);
  if (tp.segment) ctx.fail(`${what} is segmented, which is not supported`);
  const n = elementCount(dims);
  let data;
  if (tp.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    data = dataFromRawBytes(dataType, readExternal(tp, what, ctx));
  } else if (tp.rawData && tp.rawData.byteLength > 0) {
    data = dataFromRawBytes(dataType, tp.rawData);
  } else {
    data = allocateData(dataType, typedLength(tp, dataType));
    fillTyped(tp, dataType, data);
  }
  if (!data || data.length !== n) {
    ctx.fail(`${what} holds ${data ? data.length : "a partial number of"} values but dims [${dims.join(", ")}] need ${n}`);
  }
  return { name, dataType, dims, data: data! };
}

function typedLength(tp: P.ITensorProto, dataType: DataType): number {
  switch (dataType) {
    case DataType.FLOAT:
      return tp.floatData?.length ?? 0;
    case DataType.DOUBLE:
      return tp.doubleData?.length ?? 0;
    case DataType.INT64:
      return tp.int64Data?.length ?? 0;
    default:
      return tp.int32Data?.length ?? 0;
  }
}

function fillTyped(tp: P.ITensorProto, dataType: DataType, data: ReturnType<typeof allocateData>): void {
  switch (dataType) {
    case DataType.FLOAT:
      (data as Float32Array).set(tp.floatData ?? []);
      return;
    case DataType.DOUBLE:
      (data as Float64Array).set(tp.doubleData ?? []);
      return;
    case DataType.INT64: {
      const src = tp.int64Data ?? [];
      const out = data as BigInt64Array;
      for (let i = 0; i < src.length; i++) out[i] = BigInt(src[i].toString());
      return;
    }
    default:
      // int32_data also carries INT8/UINT8/BOOL values, one per element.
      (data as Int32Array | Int8Array | Uint8Array).set(tp.int32Data ?? []);
  }
}

function readExternal(tp: P.ITensorProto, what: string, ctx: Ctx): Uint8Array {
  const entries = new Map((tp.externalData ?? []).map((e) => [e.key ?? "", e.value ?? ""]));
  const location = entries.get("location");
  if (!location) ctx.fail(`${what} has external data without a location`);
  if (!ctx.baseDir) ctx.fail(`${what} has external data "${location}" but no model folder was given to resolve it`);
  const file = resolve(ctx.baseDir!, location!);
  const rel = relative(ctx.baseDir!, file);
  if (rel.startsWith("..") || isAbsolute(rel)) ctx.fail(`${what}: external data path "${location}" leaves the model folder`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return ctx.fail(`${what}: cannot read external data file ${file}: ${(err as Error).message}`);
  }
  const offset = Number(entries.get("offset") ?? "0");
  const length = entries.has("length") ? Number(entries.get("length")) : bytes.byteLength - offset;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    ctx.fail(`${what}: invalid external data offset/length`);
  }
  if (offset + length > bytes.byteLength) {
    ctx.fail(`${what}: external data ${file} has ${bytes.byteLength} bytes, need ${offset + length} (offset ${offset} + length ${length})`);
  }
  return bytes.subarray(offset, offset + length);
}

function encodeTensor(t: Tensor): P.ITensorProto {
  return { name: t.name, dataType: t.dataType, dims: t.dims, rawData: rawBytesOf(t.data) };
}

function decodeValueInfo(vp: P.IValueInfoProto, what: string, ctx: Ctx): ValueInfo {
  const name = vp.name ?? "";
  const tt = vp.type?.tensorType;
  if (!tt) ctx.fail(`${what} "${name}" is not a tensor (sequences, maps and optionals are not supported)`);
  const code = tt!.elemType ?? 0;
  if (!isSupportedDataType(code)) ctx.fail(`${what} "${name}" has unsupported element type ${code}`);
  const info: ValueInfo = { name, dataType: code as DataType };
  if (tt!.shape) {
    info.shape = (tt!.shape.dim ?? []).map((d): Dim => {
      // Decoded messages carry defaults on the prototype: ask the oneof which field was set.
      const which = (d as P.TensorShapeProto.Dimension).value;
      if (which === "dimParam") return d.dimParam ?? null;
      if (which === "dimValue") {
        return toInt(d.dimValue, `${what} "${name}" shape`, ctx.fail);
      }
      return null;
    });
  }
  return info;
}

function encodeValueInfo(v: ValueInfo): P.IValueInfoProto {
  const tensorType: P.TypeProto.ITensor = { elemType: v.dataType };
  if (v.shape) {
    tensorType.shape = {
      dim: v.shape.map((d) => (typeof d === "number" ? { dimValue: d } : typeof d === "string" ? { dimParam: d } : {})),
    };
  }
  return { name: v.name, type: { tensorType } };
}
