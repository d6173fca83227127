export { parsePrior, PriorError, uniformPrior } from './parse';
export { priorBias, type BiasKind, type BiasOptions } from './bias';
export {
  longTailedCounts,
  PAPER_SHIFT_RATIOS,
  rankByFrequency,
  shiftedPrior,
  shiftedTestCounts,
  type ShiftDirection,
} from './shift';
