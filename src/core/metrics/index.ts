// Metrics from cached logits (typed arrays, browser-safe: no node imports, no TF.js).
export { evaluateLogits, type EvaluateLogitsInput } from './evaluate';
export { ECE_BINS, classSumsBuffers, copyClassSums, correctRows, denseConfusion, mergeClassSums, type ClassSums } from './classSums';
export { type RowScanEngine } from './rowScanner';
export { WhatIfEvaluator, type EvaluateOptions, type LogitSet, type PassKind, type WhatIfOptions } from './whatif';
export { firstImagesMask, shiftSweep, subsetProtocol, sweepSettings, type ShiftSweepRow, type Subset, type SubsetSpec } from './subset';
export { shotGroup, summarizeClassSums, type ShotGroup, type Summary } from './summarize';
export {
  DEFAULT_SHOT_THRESHOLDS,
  type EvalMetrics,
  type ReliabilityBin,
  type ShotMeans,
  type ShotThresholds,
} from './types';
