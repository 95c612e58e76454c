/**
 * Error injected into one NN's output, as the optimizer's error families
 * describe it (structurally the optimizer's `NnInjection`; pipelines do not
 * import the optimizer's code). Gaussian: output k gets `bias[k] + std[k]·z`.
 * Lane mask: the error model's parameters (structured terms absent = 0).
 */
export type NnErrorInjection =
  | { kind: "gaussian"; bias: number[]; std: number[] }
  | {
      kind: "lane-mask";
      dropRate: number;
      falsePositiveRate: number;
      shiftPx: number;
      shiftStdPx: number;
      lossRate?: number;
      farDropRate?: number;
      dilatePx?: number;
      blobsPerFrame?: number;
      blobRadiusPx?: number;
    };
