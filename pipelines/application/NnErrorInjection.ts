/**
 * Error injected into one NN's output, as the optimizer's error families
 * describe it (structurally the optimizer's `NnInjection`; pipelines do not
 * import the optimizer's code). Gaussian (the regression injection): output k
 * gets `bias[k] + std[k]·z`, plus, when present, the structured terms of
 * `RegressionErrorSchema` (Student-t tail weight `tail` = 1/ν, `gain` and
 * `stdSlope` about `center`, `correlationTime`). Lane mask: the error model's parameters (structured
 * terms absent = 0).
 */
export type NnErrorInjection =
  | {
      kind: "gaussian";
      bias: number[];
      std: number[];
      tail?: number[];
      gain?: number[];
      stdSlope?: number[];
      center?: number[];
      correlationTime?: number[];
    }
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
