import { attrInt, attrInts, attrString } from "../../onnx/attributes.ts";
import { uniqueName } from "../../onnx/editGraph.ts";
import type { Dim, Graph, Node } from "../../onnx/ir.ts";
import { DataType } from "../../onnx/ir.ts";
import { svd, type Svd } from "./svd.ts";
import { truncatedSvd } from "./truncatedSvd.ts";

/** Why a conv is not factorized, or undefined when it can be. */
export function factorizableReason(graph: Graph, node: Node): string | undefined {
  if (node.opType !== "Conv" || node.domain !== "") return "not a Conv";
  const w = graph.initializers.get(node.inputs[1]);
  if (!w || w.dataType !== DataType.FLOAT) return "weight is not a float initializer";
  if (w.dims.length !== 4) return `${w.dims.length - 2}-D conv (only 2-D is factorized)`;
  if (attrInt(node, "group", 1) !== 1) return "grouped conv";
  if (w.dims[2] * w.dims[3] === 1) return "1×1 kernel";
  const autoPad = attrString(node, "auto_pad", "NOTSET");
  if (autoPad !== "NOTSET" && autoPad !== "VALID") return `auto_pad ${autoPad}`;
  if (node.inputs[2] && !graph.initializers.has(node.inputs[2])) return "bias is not an initializer";
  return undefined;
}

/** The largest useful rank of a [c_out, c_in, kh, kw] kernel: min(c_in·kh, kw·c_out). */
export function fullRank(dims: readonly number[]): number {
  const [cOut, cIn, kh, kw] = dims;
  return Math.min(cIn * kh, kw * cOut);
}

/**
 * True when factorizing at `rank` saves multiply-accumulates: Tai et al.'s
 * rule r·(c_in·kh + kw·c_out) < kh·kw·c_in·c_out (r·K·(c_in+c_out) < K²·c_in·c_out
 * for square kernels), tightened for convs with horizontal stride, where the
 * K×1 conv runs at the input width `inWidth` instead of the output width.
 */
export function saves(dims: readonly number[], rank: number, widths?: { inWidth: number; outWidth: number }): boolean {
  const [cOut, cIn, kh, kw] = dims;
  const widen = widths && widths.outWidth > 0 ? Math.max(1, widths.inWidth / widths.outWidth) : 1;
  return rank * (cIn * kh * widen + kw * cOut) < kh * kw * cIn * cOut;
}

/** Kernel matrices with more than this many rows and columns use the randomized truncated SVD. */
export const EXACT_SVD_LIMIT = 256;

/**
 * The kernel as Tai et al.'s (c_in·kh) × (kw·c_out) matrix:
 * M[c·kh + y, x·c_out + o] = W[o, c, y, x], and its SVD — exact (one-sided
 * Jacobi) unless `rank` is given, the matrix is larger than
 * {@link EXACT_SVD_LIMIT} both ways and `rank` is under half its size; then
 * the leading `rank` (+ oversampling) triplets by {@link truncatedSvd}.
 */
export function kernelSvd(w: Float32Array, dims: readonly number[], rank?: number): Svd {
  const [cOut, cIn, kh, kw] = dims;
  const m = cIn * kh;
  const n = kw * cOut;
  const mat = new Float64Array(m * n);
  for (let o = 0; o < cOut; o++) {
    for (let c = 0; c < cIn; c++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) mat[(c * kh + y) * n + x * cOut + o] = w[((o * cIn + c) * kh + y) * kw + x];
      }
    }
  }
  const k = Math.min(m, n);
  if (rank !== undefined && k > EXACT_SVD_LIMIT && rank < k / 2) return truncatedSvd(mat, m, n, rank);
  return svd(mat, m, n);
}

/**
 * Replaces `node` (a kh×kw Conv) in `graph` by a kh×1 conv (c_in → rank)
 * followed by a 1×kw conv (rank → c_out) from the kernel's truncated SVD,
 * each factor scaled by √s. Vertical stride, padding and dilation go to the
 * first conv, horizontal ones and the bias to the second, so at full rank
 * the pair computes exactly the original convolution.
 *
 * @param decomposition the kernel's SVD if already computed (see {@link kernelSvd}).
 */
export function factorizeConv(graph: Graph, node: Node, rank: number, decomposition?: Svd): void {
  const w = graph.initializers.get(node.inputs[1])!;
  const [cOut, cIn, kh, kw] = w.dims;
  const d = decomposition ?? kernelSvd(w.data as Float32Array, w.dims);
  const r = Math.min(rank, d.k);
  const vert = new Float32Array(r * cIn * kh);
  const horiz = new Float32Array(cOut * r * kw);
  for (let q = 0; q < r; q++) {
    const root = Math.sqrt(d.s[q]);
    for (let c = 0; c < cIn; c++) for (let y = 0; y < kh; y++) vert[(q * cIn + c) * kh + y] = d.u[(c * kh + y) * d.k + q] * root;
    for (let o = 0; o < cOut; o++) for (let x = 0; x < kw; x++) horiz[(o * r + q) * kw + x] = d.v[(x * cOut + o) * d.k + q] * root;
  }
  const [sh, sw] = attrInts(node, "strides") ?? [1, 1];
  const [dh, dw] = attrInts(node, "dilations") ?? [1, 1];
  const valid = attrString(node, "auto_pad", "NOTSET") === "VALID";
  const [pt, pl, pb, pr] = valid ? [0, 0, 0, 0] : (attrInts(node, "pads") ?? [0, 0, 0, 0]);
  const vName = uniqueName(graph, `${node.name}_kx1`);
  const hName = uniqueName(graph, `${node.name}_1xk`);
  const vWeight = uniqueName(graph, `${vName}.weight`);
  const hWeight = uniqueName(graph, `${hName}.weight`);
  const mid = uniqueName(graph, `${node.outputs[0]}_lowrank`);
  graph.initializers.set(vWeight, { name: vWeight, dataType: DataType.FLOAT, dims: [r, cIn, kh, 1], data: vert });
  graph.initializers.set(hWeight, { name: hWeight, dataType: DataType.FLOAT, dims: [cOut, r, 1, kw], data: horiz });
  const first: Node = {
    name: vName,
    opType: "Conv",
    domain: "",
    inputs: [node.inputs[0], vWeight],
    outputs: [mid],
    attributes: { kernel_shape: [kh, 1], strides: [sh, 1], pads: [pt, 0, pb, 0], dilations: [dh, 1], group: 1 },
  };
  const second: Node = {
    name: hName,
    opType: "Conv",
    domain: "",
    inputs: node.inputs[2] ? [mid, hWeight, node.inputs[2]] : [mid, hWeight],
    outputs: [node.outputs[0]],
    attributes: { kernel_shape: [1, kw], strides: [1, sw], pads: [0, pl, 0, pr], dilations: [1, dw], group: 1 },
  };
  const i = graph.nodes.indexOf(node);
  graph.nodes.splice(i, 1, first, second);
  if (![...graph.nodes].some((n) => n.inputs.includes(w.name))) graph.initializers.delete(w.name);
  graph.valueInfo.delete(node.outputs[0]);
}

/** Input and output widths of a conv from known shapes, if both are static. */
export function convWidths(shapes: ReadonlyMap<string, { shape?: Dim[] }>, node: Node): { inWidth: number; outWidth: number } | undefined {
  const i = shapes.get(node.inputs[0])?.shape?.[3];
  const o = shapes.get(node.outputs[0])?.shape?.[3];
  return typeof i === "number" && typeof o === "number" ? { inWidth: i, outWidth: o } : undefined;
}
