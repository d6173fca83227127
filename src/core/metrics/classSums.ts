// What one scan of the cached logits leaves behind, summed per true class and free of any sample weight:
// the target prior only enters when these sums are summarised (weights are per class, p_t(y) / p_eval(y)).
// So one scan serves every target prior that keeps the bias (plain Softmax's bias is always zero), and
// scans of disjoint row sets add up: workers holding parts of the rows return sums the page merges.

export const ECE_BINS = 15;

export interface ClassSums {
  readonly numClasses: number;
  /** Rows scanned. */
  readonly numSamples: number;
  /** Rows per true class. */
  readonly support: Int32Array;
  /** Row-major C x C counts: confusion[y * C + predicted]. */
  readonly confusion: Int32Array;
  /** Per true class y: sum of -log p(y | x) over its rows (Infinity where a row gives its label p = 0). */
  readonly nll: Float64Array;
  /** Per true class: sum of the rows' Brier scores sum_c (p_c - 1[c = y])^2. */
  readonly brier: Float64Array;
  /** [y * ECE_BINS + b]: rows of class y whose confidence falls in bin b. */
  readonly binCount: Int32Array;
  /** [y * ECE_BINS + b]: their summed confidence. */
  readonly binConfidence: Float64Array;
  /** [y * ECE_BINS + b]: how many of them are predicted right. */
  readonly binCorrect: Int32Array;
}

export function emptyClassSums(numClasses: number, numSamples = 0): ClassSums {
  const c = numClasses;
  return {
    numClasses: c,
    numSamples,
    support: new Int32Array(c),
    confusion: new Int32Array(c * c),
    nll: new Float64Array(c),
    brier: new Float64Array(c),
    binCount: new Int32Array(c * ECE_BINS),
    binConfidence: new Float64Array(c * ECE_BINS),
    binCorrect: new Int32Array(c * ECE_BINS),
  };
}

/** Sums of disjoint row sets added into one, as if their rows had been scanned together. */
export function mergeClassSums(parts: readonly ClassSums[]): ClassSums {
  const first = parts[0];
  if (!first) throw new Error('Merging class sums: no parts given.');
  const c = first.numClasses;
  for (const p of parts) {
    if (p.numClasses !== c) throw new Error(`Merging class sums: parts over ${c} and ${p.numClasses} classes.`);
  }
  const out = emptyClassSums(
    c,
    parts.reduce((n, p) => n + p.numSamples, 0),
  );
  const add = (key: Exclude<keyof ClassSums, 'numClasses' | 'numSamples'>) => {
    const target = out[key];
    for (const p of parts) {
      const source = p[key];
      for (let j = 0; j < target.length; j++) target[j] += source[j];
    }
  };
  add('support');
  add('confusion');
  add('nll');
  add('brier');
  add('binCount');
  add('binConfidence');
  add('binCorrect');
  return out;
}

/** An independent copy (the evaluator keeps the sums it returns for the next call with the same bias). */
export function copyClassSums(s: ClassSums): ClassSums {
  return {
    numClasses: s.numClasses,
    numSamples: s.numSamples,
    support: s.support.slice(),
    confusion: s.confusion.slice(),
    nll: s.nll.slice(),
    brier: s.brier.slice(),
    binCount: s.binCount.slice(),
    binConfidence: s.binConfidence.slice(),
    binCorrect: s.binCorrect.slice(),
  };
}

/** The sums' buffers, to transfer them to another thread without a copy. */
export function classSumsBuffers(s: ClassSums): ArrayBuffer[] {
  return [s.support, s.confusion, s.nll, s.brier, s.binCount, s.binConfidence, s.binCorrect].map((a) => a.buffer as ArrayBuffer);
}
