// The paper's shifted-test-set protocol on a labelled evaluation set: keep the first images of each
// class in file order, as many as shiftedTestCounts asks, and hand the predictor the exact prior.
import { type BiasKind, type ShiftDirection, PAPER_SHIFT_RATIOS, parsePrior, priorBias, shiftedTestCounts } from '../priors';
import type { EvalMetrics } from './types';
import type { WhatIfEvaluator } from './whatif';

/** Rows kept when each class c keeps its first testCounts[c] images (file order). */
export function firstImagesMask(labels: Int32Array, testCounts: ArrayLike<number>): Uint8Array {
  const c = testCounts.length;
  const taken = new Int32Array(c);
  const mask = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0 || y >= c) throw new Error(`Labels: row ${i} has label ${y}, outside 0..${c - 1}.`);
    if (taken[y] < testCounts[y]) {
      taken[y]++;
      mask[i] = 1;
    }
  }
  for (let k = 0; k < c; k++) {
    if (taken[k] < testCounts[k]) {
      throw new Error(`Shifted test set: class ${k} needs ${testCounts[k]} evaluation images but has only ${taken[k]}.`);
    }
  }
  return mask;
}

export interface SubsetSpec {
  readonly labels: Int32Array;
  readonly trainCounts: ArrayLike<number>;
  readonly direction: ShiftDirection;
  readonly ratio: number;
  /** m, images per class before shifting; default: the smallest class in the evaluation set. */
  readonly perClassTestCount?: number;
}

export interface Subset {
  readonly name: string;
  /** Kept row indices, in file order. */
  readonly rows: Int32Array;
  readonly testCounts: Int32Array;
  /** kept counts / their sum: the exact prior the predictor is given. */
  readonly targetPrior: Float64Array;
  readonly perClassTestCount: number;
}

export function subsetProtocol(spec: SubsetSpec): Subset {
  const c = spec.trainCounts.length;
  parsePrior(spec.trainCounts, c, 'training counts');
  const m = spec.perClassTestCount ?? smallestClass(spec.labels, c);
  const testCounts = shiftedTestCounts(spec.trainCounts, m, spec.direction, spec.ratio);
  const mask = firstImagesMask(spec.labels, testCounts);
  const rows: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) rows.push(i);
  const name = spec.direction === 'uniform' ? 'uniform' : `${spec.direction}-${spec.ratio}`;
  return {
    name,
    rows: Int32Array.from(rows),
    testCounts,
    targetPrior: parsePrior(testCounts, c, `${name} test prior`),
    perClassTestCount: m,
  };
}

function smallestClass(labels: Int32Array, c: number): number {
  const counts = new Int32Array(c);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0 || y >= c) throw new Error(`Labels: row ${i} has label ${y}, outside 0..${c - 1}.`);
    counts[y]++;
  }
  const empty = counts.indexOf(0);
  if (empty >= 0) {
    throw new Error(`Shifted test set: class ${empty} has no evaluation images, so the protocol cannot keep m images of every class.`);
  }
  return counts.reduce((a, b) => Math.min(a, b), Infinity);
}

export interface ShiftSweepRow {
  readonly subset: Subset;
  readonly metrics: EvalMetrics;
}

/** The paper's sweep settings: forward-r for r descending, uniform, backward-r ascending. */
export function sweepSettings(ratios: readonly number[] = PAPER_SHIFT_RATIOS): Array<[ShiftDirection, number]> {
  const sorted = [...ratios].sort((a, b) => a - b);
  return [
    ...sorted.slice().reverse().map((r): [ShiftDirection, number] => ['forward', r]),
    ['uniform', 1],
    ...sorted.map((r): [ShiftDirection, number] => ['backward', r]),
  ];
}

/** The paper's table: each subset of sweepSettings evaluated with the model compensated to its exact prior. */
export function shiftSweep(
  evaluator: WhatIfEvaluator,
  spec: {
    readonly labels: Int32Array;
    readonly trainCounts: ArrayLike<number>;
    readonly kind: BiasKind;
    readonly sourcePrior: ArrayLike<number>;
    readonly ratios?: readonly number[];
    readonly perClassTestCount?: number;
    readonly tau?: number;
  },
): ShiftSweepRow[] {
  return sweepSettings(spec.ratios).map(([direction, ratio]) => {
    const subset = subsetProtocol({ ...spec, direction, ratio });
    const bias = priorBias(spec.kind, spec.sourcePrior, subset.targetPrior, { tau: spec.tau });
    return { subset, metrics: evaluator.evaluate(bias, { targetPrior: subset.targetPrior, rows: subset.rows }) };
  });
}
