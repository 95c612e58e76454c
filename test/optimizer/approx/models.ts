import { GraphBuilder } from "../../../optimizer/onnx/GraphBuilder.ts";
import type { Model } from "../../../optimizer/onnx/ir.ts";
import { int64Tensor } from "../../../optimizer/onnx/tensor.ts";

/** Small test networks, each exercising some coupling structure. Input [1, 3, 16, 16]. */
export const INPUT_SHAPE = [1, 3, 16, 16];

/** Stem + two residual basic blocks (Conv-BN-ReLU, residual Add), GAP, Flatten → Gemm. */
export function residualNet(seed = 1): Model {
  const b = new GraphBuilder({ seed });
  const cbr = (x: string, c: number, relu = true): string => {
    const y = b.batchNorm(b.conv(x, { outChannels: c, kernel: 3, pad: 1, bias: false }));
    return relu ? b.relu(y) : y;
  };
  let x = cbr(b.input("input", INPUT_SHAPE), 8);
  x = b.relu(b.add(cbr(cbr(x, 8), 8, false), x));
  const down = b.batchNorm(b.conv(x, { outChannels: 12, kernel: 1, stride: 2, bias: false }));
  const y = cbr(cbr(x, 12), 12, false);
  const y2 = b.conv(y, { outChannels: 12, kernel: 3, stride: 2, pad: 1 });
  x = b.relu(b.add(y2, down));
  b.output(b.gemm(b.flatten(b.globalAveragePool(x)), { outFeatures: 5 }));
  return b.build();
}

/** Concat of two branches, a channel Split into unequal parts, conv on each, Concat again, Flatten → Gemm. */
export function concatSplitNet(seed = 2): Model {
  const b = new GraphBuilder({ seed });
  const x = b.relu(b.conv(b.input("input", INPUT_SHAPE), { outChannels: 6, kernel: 3, pad: 1 }));
  const a = b.relu(b.conv(x, { outChannels: 4, kernel: 1 }));
  const c = b.relu(b.conv(x, { outChannels: 8, kernel: 3, pad: 1 }));
  const cat = b.concat([a, c]);
  const splitSizes = b.initializer(int64Tensor("split_sizes", [2], [5, 7]));
  const [p, q] = b.node("Split", [cat, splitSizes], { axis: 1 }, { outputs: 2 });
  const p2 = b.relu(b.conv(p, { outChannels: 6, kernel: 3, pad: 1 }));
  const q2 = b.relu(b.conv(q, { outChannels: 6, kernel: 3, pad: 1 }));
  const y = b.maxPool(b.concat([p2, q2, x]), { kernel: 4 });
  b.output(b.gemm(b.flatten(y), { outFeatures: 3 }));
  return b.build();
}

/** MobileNet-style: depthwise conv with channel multiplier 2, Clip, residual Add, ConvTranspose (plain and depthwise). */
export function depthwiseNet(seed = 3): Model {
  const b = new GraphBuilder({ seed });
  const x = b.clip(b.conv(b.input("input", INPUT_SHAPE), { outChannels: 8, kernel: 3, pad: 1, stride: 2 }), 0, 6);
  const dw = b.clip(b.conv(x, { outChannels: 16, kernel: 3, pad: 1, groups: 8 }), 0, 6);
  const pw = b.conv(dw, { outChannels: 8, kernel: 1 });
  const r = b.add(pw, x);
  const up = b.relu(b.convTranspose(r, { outChannels: 6, kernel: 2, stride: 2 }));
  const dup = b.relu(b.convTranspose(up, { outChannels: 6, kernel: 3, pad: 1, groups: 6 }));
  b.output(b.conv(dup, { outChannels: 2, kernel: 1 }));
  return b.build();
}

/** VGG-style head: Reshape [1, -1] → Gemm → ReLU → Gemm, and a MatMul branch after a Flatten. */
export function reshapeHeadNet(seed = 4): Model {
  const b = new GraphBuilder({ seed });
  const x = b.maxPool(b.relu(b.conv(b.input("input", INPUT_SHAPE), { outChannels: 6, kernel: 3, pad: 1 })), { kernel: 4 });
  const h = b.relu(b.gemm(b.reshape(x, [1, -1]), { outFeatures: 10 }));
  const g = b.gemm(h, { outFeatures: 4 });
  const w = b.constant(
    "mm.weight",
    [96, 4],
    Array.from({ length: 384 }, (_, i) => Math.sin(i)),
  );
  const m = b.matmul(b.flatten(x), w);
  b.output(b.add(g, m));
  return b.build();
}

/** Squeeze-excitation gating (Mul by a computed [N,C,1,1]), per-channel constants (Sub, Mul, PRelu slope). */
export function squeezeExciteNet(seed = 5): Model {
  const b = new GraphBuilder({ seed });
  const x = b.relu(b.batchNorm(b.conv(b.input("input", INPUT_SHAPE), { outChannels: 12, kernel: 3, pad: 1 })));
  const s = b.relu(b.conv(b.globalAveragePool(x), { outChannels: 4, kernel: 1 }));
  const gate = b.sigmoid(b.conv(s, { outChannels: 12, kernel: 1 }));
  let y = b.mul(x, gate);
  y = b.sub(
    y,
    b.constant(
      "shift",
      [12, 1, 1],
      Array.from({ length: 12 }, (_, i) => 0.1 * i),
    ),
  );
  y = b.mul(
    y,
    b.constant(
      "scale",
      [1, 12, 1, 1],
      Array.from({ length: 12 }, (_, i) => 1 + 0.05 * i),
    ),
  );
  const slope = b.constant(
    "slope",
    [12, 1, 1],
    Array.from({ length: 12 }, (_, i) => 0.01 * i),
  );
  [y] = b.node("PRelu", [y, slope]);
  b.output(b.conv(y, { outChannels: 3, kernel: 3, pad: 1 }));
  return b.build();
}
