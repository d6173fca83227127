// The paper's shifted test sets (from the CIFAR-LT recipe and the authors' shift notebook):
// rank classes by training frequency, most frequent first (ties by class index), and keep
//   forward-r:  floor(m * (1/r)^(k/(C-1)))          images of the class at rank k
//   backward-r: floor(m * (1/r)^((C-1-k)/(C-1)))
// so forward-r looks like training and backward-r reverses it. The target prior is kept / sum(kept).
import { parsePrior, PriorError } from './parse';

export type ShiftDirection = 'forward' | 'backward' | 'uniform';

/** The ratios the paper reports. */
export const PAPER_SHIFT_RATIOS: readonly number[] = [2, 5, 10, 25, 50];

/** Class indices ordered by training frequency, most frequent first; equal counts keep index order. */
export function rankByFrequency(trainCounts: ArrayLike<number>): Int32Array {
  const counts = parsePrior(trainCounts, trainCounts.length, 'training counts');
  const order = Array.from(counts.keys());
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  return Int32Array.from(order);
}

/** floor(m * (1/r)^(k/(C-1))) for k = 0..C-1: the long-tailed profile (a CIFAR-LT split when m = n_max). */
export function longTailedCounts(numClasses: number, maxCount: number, ratio: number): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new PriorError(`long-tailed profile: the number of classes must be a positive integer, got ${numClasses}.`);
  }
  if (!Number.isInteger(maxCount) || maxCount < 0) {
    throw new PriorError(`long-tailed profile: the per-class count must be a non-negative integer, got ${maxCount}.`);
  }
  if (!Number.isFinite(ratio) || ratio < 1) {
    throw new PriorError(`long-tailed profile: the imbalance ratio must be a finite number >= 1, got ${ratio}.`);
  }
  const out = new Int32Array(numClasses);
  for (let k = 0; k < numClasses; k++) {
    out[k] = numClasses === 1 ? maxCount : Math.floor(maxCount * Math.pow(1 / ratio, k / (numClasses - 1)));
  }
  return out;
}

/** Test images to keep per class (in class order) for the forward-r / backward-r / uniform test set. */
export function shiftedTestCounts(
  trainCounts: ArrayLike<number>,
  perClassTestCount: number,
  direction: ShiftDirection,
  ratio: number,
): Int32Array {
  const numClasses = trainCounts.length;
  const rank = rankByFrequency(trainCounts);
  const profile = longTailedCounts(numClasses, perClassTestCount, direction === 'uniform' ? 1 : ratio);
  const out = new Int32Array(numClasses);
  for (let k = 0; k < numClasses; k++) {
    out[rank[k]] = direction === 'backward' ? profile[numClasses - 1 - k] : profile[k];
  }
  return out;
}

/** The exact target prior of the shifted test set: kept counts over their sum. */
export function shiftedPrior(
  trainCounts: ArrayLike<number>,
  perClassTestCount: number,
  direction: ShiftDirection,
  ratio: number,
): Float64Array {
  return parsePrior(
    shiftedTestCounts(trainCounts, perClassTestCount, direction, ratio),
    trainCounts.length,
    `${direction}-${ratio} test prior`,
  );
}
