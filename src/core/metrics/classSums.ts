// What one scan of the cached logits leaves behind, summed per true class and free of any sample weight:
// the target prior only enters when these sums are summarised (weights are per class, p_t(y) / p_eval(y)).
// So one scan serves every target prior that keeps the bias (plain Softmax's bias is always zero), and
// scans of disjoint row sets add up: workers holding parts of the rows return sums the page merges.
// The confusion travels as its non-empty cells (at most one per row), not as C x C counts: at 1,000
// classes that makes merging and summarising O(rows) instead of a million cells per method.

export const ECE_BINS = 15;

export interface ClassSums {
  readonly numClasses: number;
  /** Rows scanned. */
  readonly numSamples: number;
  /** Rows per true class. */
  readonly support: Int32Array;
  /**
   * The confusion's non-empty cells as triples [true class, predicted class, rows, ...]. A merge
   * concatenates parts, so a cell may be listed more than once: its rows then add up.
   */
  readonly cells: Int32Array;
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

/** Per-row results of a scan, in the shape every pass (full, incremental, exact row) writes them. */
export interface RowResult {
  arg: number;
  /** max_c p_ic */
  confidence: number;
  /** log p_{i, y_i} */
  logProbLabel: number;
  /** sum_c p_ic^2 */
  sumSquares: number;
  probLabel: number;
}

/** Dense confusion scratch up to this many cells (16 MiB); beyond it, a map of the cells rows touch. */
const DENSE_CONFUSION_CELLS = 4_000_000;

/**
 * Counts confusion cells across passes without a C x C matrix per pass: a zeroed scratch matrix (kept by
 * the caller and handed back zeroed) plus the list of cells touched, so a pass costs O(rows), not O(C^2).
 */
export class ConfusionCounter {
  private readonly dense: Int32Array | null;
  private readonly sparse = new Map<number, number>();
  private touched: number[] = [];

  constructor(private readonly numClasses: number) {
    const cells = numClasses * numClasses;
    this.dense = cells <= DENSE_CONFUSION_CELLS ? new Int32Array(cells) : null;
  }

  add(y: number, predicted: number): void {
    const at = y * this.numClasses + predicted;
    if (this.dense) {
      if (this.dense[at]++ === 0) this.touched.push(at);
    } else {
      this.sparse.set(at, (this.sparse.get(at) ?? 0) + 1);
    }
  }

  /** The counted cells as [y, predicted, rows] triples in row-major order; the counter starts over. */
  take(): Int32Array {
    const c = this.numClasses;
    const dense = this.dense;
    const order = Int32Array.from(dense ? this.touched : this.sparse.keys()).sort();
    const cells = new Int32Array(order.length * 3);
    for (let j = 0; j < order.length; j++) {
      const at = order[j];
      cells[3 * j] = Math.floor(at / c);
      cells[3 * j + 1] = at % c;
      cells[3 * j + 2] = dense ? dense[at] : (this.sparse.get(at) as number);
      if (dense) dense[at] = 0;
    }
    this.touched = [];
    this.sparse.clear();
    return cells;
  }
}

/** Adds row results up into ClassSums, one row at a time. */
export class ClassSumsBuilder {
  private readonly support: Int32Array;
  private readonly nll: Float64Array;
  private readonly brier: Float64Array;
  private readonly binCount: Int32Array;
  private readonly binConfidence: Float64Array;
  private readonly binCorrect: Int32Array;
  private rows = 0;

  constructor(
    private readonly numClasses: number,
    private readonly confusion: ConfusionCounter,
  ) {
    const c = numClasses;
    this.support = new Int32Array(c);
    this.nll = new Float64Array(c);
    this.brier = new Float64Array(c);
    this.binCount = new Int32Array(c * ECE_BINS);
    this.binConfidence = new Float64Array(c * ECE_BINS);
    this.binCorrect = new Int32Array(c * ECE_BINS);
  }

  add(y: number, res: RowResult): void {
    const bins = ECE_BINS;
    this.rows++;
    this.support[y]++;
    this.confusion.add(y, res.arg);
    this.nll[y] -= res.logProbLabel;
    this.brier[y] += res.sumSquares - 2 * res.probLabel + 1;
    const bin = y * bins + Math.min(bins - 1, Math.max(0, Math.ceil(res.confidence * bins) - 1));
    this.binCount[bin]++;
    this.binConfidence[bin] += res.confidence;
    if (res.arg === y) this.binCorrect[bin]++;
  }

  finish(): ClassSums {
    const { numClasses, rows: numSamples, support, nll, brier, binCount, binConfidence, binCorrect } = this;
    return { numClasses, numSamples, support, cells: this.confusion.take(), nll, brier, binCount, binConfidence, binCorrect };
  }
}

/** Rows predicted right (the confusion's diagonal). */
export function correctRows(sums: ClassSums): number {
  let correct = 0;
  const cells = sums.cells;
  for (let j = 0; j < cells.length; j += 3) if (cells[j] === cells[j + 1]) correct += cells[j + 2];
  return correct;
}

/** Row-major C x C counts, confusion[y * C + predicted], from the sums' cells. */
export function denseConfusion(sums: Pick<ClassSums, 'numClasses' | 'cells'>): Int32Array {
  const c = sums.numClasses;
  const out = new Int32Array(c * c);
  const cells = sums.cells;
  for (let j = 0; j < cells.length; j += 3) out[cells[j] * c + cells[j + 1]] += cells[j + 2];
  return out;
}

/** Sums of disjoint row sets added into one, as if their rows had been scanned together. */
export function mergeClassSums(parts: readonly ClassSums[]): ClassSums {
  const first = parts[0];
  if (!first) throw new Error('Merging class sums: no parts given.');
  const c = first.numClasses;
  for (const p of parts) {
    if (p.numClasses !== c) throw new Error(`Merging class sums: parts over ${c} and ${p.numClasses} classes.`);
  }
  const cells = new Int32Array(parts.reduce((n, p) => n + p.cells.length, 0));
  let at = 0;
  for (const p of parts) {
    cells.set(p.cells, at);
    at += p.cells.length;
  }
  const out = { ...copyClassSums(first), numSamples: parts.reduce((n, p) => n + p.numSamples, 0), cells };
  for (const p of parts.slice(1)) {
    addInts(out.support, p.support);
    addFloats(out.nll, p.nll);
    addFloats(out.brier, p.brier);
    addInts(out.binCount, p.binCount);
    addFloats(out.binConfidence, p.binConfidence);
    addInts(out.binCorrect, p.binCorrect);
  }
  return out;
}

// One loop per array type, so each stays monomorphic (a shared generic loop ran several times slower).
function addInts(target: Int32Array, source: Int32Array): void {
  for (let j = 0; j < target.length; j++) target[j] += source[j];
}

function addFloats(target: Float64Array, source: Float64Array): void {
  for (let j = 0; j < target.length; j++) target[j] += source[j];
}

/** An independent copy (the evaluator keeps the sums it returns for the next call with the same bias). */
export function copyClassSums(s: ClassSums): ClassSums {
  return {
    numClasses: s.numClasses,
    numSamples: s.numSamples,
    support: s.support.slice(),
    cells: s.cells.slice(),
    nll: s.nll.slice(),
    brier: s.brier.slice(),
    binCount: s.binCount.slice(),
    binConfidence: s.binConfidence.slice(),
    binCorrect: s.binCorrect.slice(),
  };
}

/** The sums' buffers, to transfer them to another thread without a copy. */
export function classSumsBuffers(s: ClassSums): ArrayBuffer[] {
  return [s.support, s.cells, s.nll, s.brier, s.binCount, s.binConfidence, s.binCorrect].map((a) => a.buffer as ArrayBuffer);
}
