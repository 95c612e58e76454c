/**
 * The ApproxCaliper paper's figures that `approxcaliper evidence` is set
 * side by side with (MLSys 2023: the abstract's headline and the evaluation's
 * QoS-run counts), by application name. The comparison in each is against
 * learning-rate-rewinding pruning used application-agnostically.
 */
export const PAPER_FIGURES = {
  cropfollow: {
    /** Pipeline FPS (min over heading and distance nets) of the chosen pair ÷ the agnostic choice's. */
    speedupVsAgnostic: 5.3,
    /** Model size of the agnostic choice ÷ the chosen pair's. */
    sizeReductionVsAgnostic: 36,
  },
  gem: {
    /** Utilization (required rate × latency) of the agnostic choice ÷ the chosen model's. */
    utilizationReductionVsAgnostic: 2.9,
    sizeReductionVsAgnostic: 6.1,
  },
  /** QoS evaluations guided vs unguided (read off the paper's plots, approximate). */
  qosRuns: { guided: 30, unguided: 50 },
} as const;
