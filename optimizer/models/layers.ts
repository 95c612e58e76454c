import type { GraphBuilder } from "../onnx/GraphBuilder.ts";
import { DataType } from "../onnx/ir.ts";
import type { RegressionNetOptions } from "./BackboneOptions.ts";

/** `base · multiplier` rounded to a multiple of 4 (at least 4), so tiny variants stay valid graphs. */
export function scaledWidth(base: number, multiplier: number): number {
  return Math.max(4, Math.round((base * multiplier) / 4) * 4);
}

/** Conv (no bias: BatchNorm follows) → BatchNorm, "same" padding for odd kernels. */
export function convBn(b: GraphBuilder, x: string, outChannels: number, kernel = 3, stride = 1): string {
  return b.batchNorm(b.conv(x, { outChannels, kernel, stride, pad: (kernel - 1) / 2, bias: false }));
}

/** Conv → BatchNorm → ReLU. */
export function convBnRelu(b: GraphBuilder, x: string, outChannels: number, kernel = 3, stride = 1): string {
  return b.relu(convBn(b, x, outChannels, kernel, stride));
}

/** Conv → BatchNorm → LeakyReLU(0.1), DarkNet's unit. */
export function convBnLeaky(b: GraphBuilder, x: string, outChannels: number, kernel = 3, stride = 1): string {
  return b.leakyRelu(convBn(b, x, outChannels, kernel, stride), 0.1);
}

/** Dropout with a constant ratio (identity at inference; a seeded mask in training graphs). */
export function dropout(b: GraphBuilder, x: string, ratio: number): string {
  const r = b.initializer({ name: `${x}.dropout_ratio`, dataType: DataType.FLOAT, dims: [], data: Float32Array.of(ratio) });
  return b.node("Dropout", [x, r])[0];
}

/**
 * The CropFollow head of the paper's released code: conv 3×3 → BN → ReLU →
 * global average pool → FC 64 → ReLU → Dropout(0.5) → FC `outputs`.
 */
export function regressionHead(b: GraphBuilder, x: string, o: RegressionNetOptions): void {
  const h = convBnRelu(b, x, o.headChannels ?? 256);
  const fc = b.relu(b.gemm(b.flatten(b.globalAveragePool(h)), { outFeatures: 64 }));
  b.output(b.gemm(dropout(b, fc, 0.5), { outFeatures: o.outputs ?? 1, name: o.outputName ?? "output" }));
}
