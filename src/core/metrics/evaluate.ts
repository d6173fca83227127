// One-off evaluation of cached logits: the what-if kernel run once.
import type { EvalMetrics, ShotThresholds } from './types';
import { WhatIfEvaluator } from './whatif';

export interface EvaluateLogitsInput {
  readonly logits: Float32Array;
  readonly labels: Int32Array;
  readonly numClasses: number;
  /** Per-class logit bias (see priorBias); none by default. */
  readonly bias?: ArrayLike<number>;
  readonly trainCounts?: ArrayLike<number>;
  /** Deployment prior: expected accuracy and the calibration metrics are taken under it. */
  readonly targetPrior?: ArrayLike<number>;
  readonly thresholds?: ShotThresholds;
}

export function evaluateLogits(input: EvaluateLogitsInput): EvalMetrics {
  const evaluator = new WhatIfEvaluator(input, { trainCounts: input.trainCounts, thresholds: input.thresholds });
  return evaluator.evaluate(input.bias, { targetPrior: input.targetPrior });
}
