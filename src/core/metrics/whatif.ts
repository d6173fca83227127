// The what-if evaluator: cached logits re-evaluated under a new class prior in one pass each.
// Pure typed arrays and no node imports, so it runs in a web worker.
//
// Construction stores E_ic = exp(z_ic - max_c z_ic) (float32, once). A prior enters as a bias b, and
// with B_c = exp(b_c - max b) the adjusted softmax of row i is p_ic = E_ic B_c / S_i, S_i = sum_c E_ic B_c.
// So one read of E per prior gives everything: the argmax of E_ic B_c is the prediction, best / S_i the
// confidence, log S_i the NLL, sum (E B)^2 / S^2 the Brier score. No exp in the hot loop.
// Where the products underflow (bias gaps beyond ~57 nats, or a zero target probability on the
// row's top class) the row is recomputed exactly from the logits.
// The pass leaves prior-free class sums (classSums.ts) that any target prior then summarises; the last
// few full-set scans are kept by bias, so a bias that does not move (plain Softmax) costs no new pass.
// A full pass also keeps its per-row S_i, sum of squares and winner. A slider move changes one class's
// target share and rescales the rest, so the new bias differs from the kept one by a common shift (which
// softmax ignores) on all but a few classes D: then S_i gains E_ic (B'_c - B_c) over c in D, the winner is
// the old one or a class in D, and only rows whose old winner is in D are rescanned: O(N |D|), not O(N C).
// The hot loop runs as WebAssembly SIMD where it can, else as JavaScript, with identical results (rowScan.ts).
import { type BiasKind, type BiasOptions, parsePrior, priorBias } from '../priors';
import { type ClassSums, ClassSumsBuilder, ConfusionCounter, denseConfusion, type RowResult } from './classSums';
import { createRowScanner } from './rowScan';
import type { RowScanEngine, RowScanner } from './rowScanner';
import { summarizeClassSums } from './summarize';
import { DEFAULT_SHOT_THRESHOLDS, type EvalMetrics, type ShotThresholds } from './types';

export interface LogitSet {
  /** Row-major N x C logits. */
  readonly logits: Float32Array;
  /** N labels in 0..C-1. */
  readonly labels: Int32Array;
  readonly numClasses: number;
}

export interface WhatIfOptions {
  /** Training counts per class: enables the many/medium/few means. */
  readonly trainCounts?: ArrayLike<number>;
  readonly thresholds?: ShotThresholds;
  /** Engine of the hot loop: WebAssembly SIMD where available ('auto', the default), or forced. */
  readonly engine?: RowScanEngine | 'auto';
}

export interface EvaluateOptions {
  /** Deployment prior the metrics are taken under (samples reweighted by p_t(y) / p_eval(y)). */
  readonly targetPrior?: ArrayLike<number>;
  /** Evaluate only these rows (e.g. a shifted test subset); all rows by default. */
  readonly rows?: Int32Array;
}

/** Below this winning product the float32 cache may have lost the row: recompute it exactly. */
const EXACT_ROW_BELOW = 1e-25;
/** Full-set scans kept, newest first: one per method a worker asks about, plus the uniform prior's. */
const CACHED_SCANS = 4;
/** Full passes whose per-row state is kept for incremental updates (one per method of a run). */
const KEPT_BASES = 2;
/** Classes may differ from the common shift by this much (nats) and count as unchanged: rescaling leaves ~1e-16. */
const SHIFT_TOLERANCE = 1e-12;
/** Beyond this share of classes changed, a full pass is cheaper than the incremental one. */
const INCREMENTAL_MAX_SHARE = 1 / 8;
/** A class raised this far (nats) above the kept pass's largest bias takes a full pass instead. */
const MAX_LOG_SCALE = 600;
/** An updated S_i below this share of the kept one lost digits to cancellation: rescan the row. */
const CANCELLATION_BELOW = 1e-6;

/** What a full pass over all rows leaves for the incremental path, in that pass's scale B_c = exp(b_c - maxBias). */
interface RowBase {
  readonly bias: Float64Array;
  readonly maxBias: number;
  /** S_i; NaN where the row went the exact way (it is then recomputed exactly again). */
  readonly sum: Float64Array;
  readonly squares: Float64Array;
  readonly best: Float64Array;
  readonly arg: Int32Array;
}

/** How the last classSums() call was answered: for tests and benchmarks. */
export type PassKind = 'full' | 'incremental' | 'cached' | 'rows';

export class WhatIfEvaluator {
  readonly numSamples: number;
  readonly numClasses: number;
  private readonly logits: Float32Array;
  private readonly labels: Int32Array;
  /** Holds E = exp(z_ic - max_c z_ic) and runs the hot loop over it. */
  private readonly scanner: RowScanner;
  /** z_{i,y_i} - max_c z_ic (<= 0), exact, for the NLL. */
  private readonly labelGap: Float64Array;
  private readonly trainCounts: Float64Array | null;
  private readonly thresholds: ShotThresholds;
  private readonly cache: { bias: Float64Array; sums: ClassSums }[] = [];
  private readonly bases: RowBase[] = [];
  private readonly confusion: ConfusionCounter;
  private last: PassKind = 'full';

  constructor(set: LogitSet, options: WhatIfOptions = {}) {
    const { logits, labels, numClasses: c } = set;
    if (!Number.isInteger(c) || c < 1) throw new Error(`Logits: the number of classes must be a positive integer, got ${c}.`);
    const n = labels.length;
    if (n < 1) throw new Error('Logits: the evaluation set is empty (no labels).');
    if (logits.length !== n * c) {
      throw new Error(`Logits: expected ${n} rows x ${c} classes = ${n * c} values (one row per label), got ${logits.length}.`);
    }
    this.numSamples = n;
    this.numClasses = c;
    this.logits = logits;
    this.labels = labels;
    this.scanner = createRowScanner(n, c, options.engine);
    this.confusion = new ConfusionCounter(c);
    const e = this.scanner.expLogits;
    this.labelGap = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const y = labels[i];
      if (y < 0 || y >= c) throw new Error(`Labels: row ${i} has label ${y}, outside 0..${c - 1}.`);
      const row = i * c;
      let max = -Infinity;
      for (let k = 0; k < c; k++) {
        const z = logits[row + k];
        if (!Number.isFinite(z)) throw new Error(`Logits: row ${i}, class ${k} is ${z}; every logit must be finite.`);
        if (z > max) max = z;
      }
      for (let k = 0; k < c; k++) e[row + k] = Math.exp(logits[row + k] - max);
      this.labelGap[i] = logits[row + y] - max;
    }
    if (options.trainCounts !== undefined) {
      parsePrior(options.trainCounts, c, 'training counts');
      this.trainCounts = Float64Array.from(options.trainCounts);
    } else {
      this.trainCounts = null;
    }
    this.thresholds = options.thresholds ?? DEFAULT_SHOT_THRESHOLDS;
    if (!Number.isFinite(this.thresholds.many) || !Number.isFinite(this.thresholds.few)) {
      throw new Error(`Shot thresholds must be finite numbers, got many ${this.thresholds.many}, few ${this.thresholds.few}.`);
    }
  }

  /** How the last classSums() call was answered. */
  get lastPass(): PassKind {
    return this.last;
  }

  /** Which engine runs the hot loop: 'wasm' (SIMD) or the JavaScript fallback. */
  get engine(): RowScanEngine {
    return this.scanner.engine;
  }

  /** Metrics with `bias` added to every row of logits (a zero bias when omitted). */
  evaluate(bias?: ArrayLike<number>, options: EvaluateOptions = {}): EvalMetrics {
    // A bad prior is refused before the scan, not after it.
    if (options.targetPrior !== undefined) parsePrior(options.targetPrior, this.numClasses, 'target prior');
    const sums = this.classSums(bias, options.rows);
    return { ...summarizeClassSums(sums, options.targetPrior, this.trainCounts, this.thresholds), confusion: denseConfusion(sums) };
  }

  /** Metrics of a model trained with `kind`, compensated to `targetPrior` (also the prior the metrics use). */
  evaluatePrior(
    kind: BiasKind,
    sourcePrior: ArrayLike<number>,
    targetPrior: ArrayLike<number>,
    options: BiasOptions & { rows?: Int32Array } = {},
  ): EvalMetrics {
    return this.evaluate(priorBias(kind, sourcePrior, targetPrior, options), { targetPrior, rows: options.rows });
  }

  /**
   * The prior-free sums of one scan with `bias` over all rows (or `rows`). A full-set scan is kept for
   * the next call with the same bias, so it is returned as is: read it, copy it, never change or transfer it.
   */
  classSums(biasIn?: ArrayLike<number>, rows?: Int32Array): ClassSums {
    const bias = checkBias(biasIn, this.numClasses);
    if (rows) {
      this.last = 'rows';
      return this.scan(bias, rows, null);
    }
    const at = this.cache.findIndex((entry) => sameValues(entry.bias, bias));
    const hit = at >= 0 ? this.cache.splice(at, 1)[0] : undefined;
    let entry = hit;
    if (entry) {
      this.last = 'cached';
    } else {
      const incremental = this.incremental(bias);
      this.last = incremental ? 'incremental' : 'full';
      entry = { bias, sums: incremental ?? this.scan(bias, undefined, null) };
    }
    this.cache.unshift(entry);
    this.cache.length = Math.min(this.cache.length, CACHED_SCANS);
    return entry.sums;
  }

  /** Predicted class of every row (or of `rows`) with `bias` added. */
  predict(bias?: ArrayLike<number>, rows?: Int32Array): Int32Array {
    const out = new Int32Array(rows ? rows.length : this.numSamples);
    this.scan(checkBias(bias, this.numClasses), rows, out);
    return out;
  }

  private scan(bias: Float64Array, rows: Int32Array | undefined, predictions: Int32Array | null): ClassSums {
    const c = this.numClasses;
    let maxBias = -Infinity;
    for (let k = 0; k < c; k++) if (bias[k] > maxBias) maxBias = bias[k];
    const { scale, out: rowSums } = this.scanner; // scale: B_c
    const logScale = new Float64Array(c); // b_c - max b
    for (let k = 0; k < c; k++) {
      logScale[k] = bias[k] - maxBias;
      scale[k] = Math.exp(logScale[k]);
    }

    const count = rows ? rows.length : this.numSamples;
    if (count < 1) throw new Error('Evaluation: no rows selected.');
    if (rows) {
      for (const i of rows) {
        if (!(i >= 0 && i < this.numSamples)) throw new Error(`Evaluation: row index ${i} is outside 0..${this.numSamples - 1}.`);
      }
    }
    const full = !rows && !predictions;
    const base: RowBase | null = full
      ? {
          bias,
          maxBias,
          sum: new Float64Array(count),
          squares: new Float64Array(count),
          best: new Float64Array(count),
          arg: new Int32Array(count),
        }
      : null;
    const out = new ClassSumsBuilder(c, this.confusion);
    const res: RowResult = { arg: 0, confidence: 0, logProbLabel: 0, sumSquares: 0, probLabel: 0 };
    for (let r = 0; r < count; r++) {
      const i = rows ? rows[r] : r;
      const y = this.labels[i];
      const row = i * c;
      this.scanner.scan(row);
      const sum = rowSums[0];
      const squares = rowSums[1];
      const best = rowSums[2];
      const arg = rowSums[3];
      const exact = this.rowResult(i, sum, squares, best, arg, logScale, bias, res);
      if (base) {
        base.sum[i] = exact ? NaN : sum;
        base.squares[i] = squares;
        base.best[i] = best;
        base.arg[i] = arg;
      }
      if (predictions) predictions[r] = res.arg;
      out.add(y, res);
    }
    if (base) {
      this.bases.unshift(base);
      this.bases.length = Math.min(this.bases.length, KEPT_BASES);
    }
    return out.finish();
  }

  /**
   * The sums for `bias` from a kept full pass whose bias differs from it, up to a common shift, on few
   * classes; null when no kept pass is close enough.
   */
  private incremental(bias: Float64Array): ClassSums | null {
    const c = this.numClasses;
    let chosen: { base: RowBase; shift: number; changed: number[] } | null = null;
    for (const base of this.bases) {
      const d = changedClasses(base.bias, bias, Math.floor(c * INCREMENTAL_MAX_SHARE));
      if (d && (!chosen || d.changed.length < chosen.changed.length)) chosen = { base, ...d };
    }
    if (!chosen) return null;
    const { base, shift, changed } = chosen;
    const { scale, out: rowSums, expLogits: e } = this.scanner;
    // The kept pass's scale, with the changed classes moved; a row rescanned below uses all of it.
    const logScale = new Float64Array(c);
    for (let k = 0; k < c; k++) logScale[k] = base.bias[k] - base.maxBias;
    for (const k of changed) {
      logScale[k] = bias[k] - shift - base.maxBias;
      if (logScale[k] > MAX_LOG_SCALE) return null; // E_ik B_k could overflow: rescale in a full pass
    }
    for (let k = 0; k < c; k++) scale[k] = Math.exp(logScale[k]);
    const dn = changed.length;
    const cls = Int32Array.from(changed);
    const before = Float64Array.from(changed, (k) => Math.exp(base.bias[k] - base.maxBias));
    const after = Float64Array.from(changed, (k) => scale[k]);
    const isChanged = new Uint8Array(c);
    for (const k of changed) isChanged[k] = 1;

    const out = new ClassSumsBuilder(c, this.confusion);
    const res: RowResult = { arg: 0, confidence: 0, logProbLabel: 0, sumSquares: 0, probLabel: 0 };
    for (let i = 0; i < this.numSamples; i++) {
      const y = this.labels[i];
      const row = i * c;
      const keptSum = base.sum[i];
      let sum = keptSum;
      let squares = base.squares[i];
      let best = base.best[i];
      let arg = base.arg[i];
      let rescan = Number.isNaN(keptSum) || isChanged[arg] === 1;
      if (!rescan) {
        for (let j = 0; j < dn; j++) {
          const k = cls[j];
          const ek = e[row + k];
          const vo = ek * before[j];
          const vn = ek * after[j];
          sum += vn - vo;
          squares += vn * vn - vo * vo;
          if (vn > best || (vn === best && k < arg)) {
            best = vn;
            arg = k;
          }
        }
        rescan = sum < keptSum * CANCELLATION_BELOW || squares < 0;
      }
      if (rescan) {
        this.scanner.scan(row);
        sum = rowSums[0];
        squares = rowSums[1];
        best = rowSums[2];
        arg = rowSums[3];
      }
      this.rowResult(i, sum, squares, best, arg, logScale, bias, res);
      out.add(y, res);
    }
    return out.finish();
  }

  /**
   * Row i's results from its scan in the current scale (B_c = exp(logScale_c), set in the scanner), or
   * straight from the logits where the winning product underflowed; true in that case.
   */
  private rowResult(i: number, sum: number, squares: number, best: number, arg: number, logScale: Float64Array, bias: Float64Array, res: RowResult): boolean {
    if (best < EXACT_ROW_BELOW) {
      this.exactRow(i, bias, res);
      return true;
    }
    const y = this.labels[i];
    res.arg = arg;
    res.confidence = best / sum;
    res.logProbLabel = this.labelGap[i] + logScale[y] - Math.log(sum);
    res.sumSquares = squares / (sum * sum);
    res.probLabel = (this.scanner.expLogits[i * this.numClasses + y] * this.scanner.scale[y]) / sum;
    return false;
  }

  /** Row i straight from the logits in float64: t_c = z_ic + b_c, p = softmax(t). */
  private exactRow(i: number, bias: Float64Array, out: RowResult): void {
    const c = this.numClasses;
    const row = i * c;
    let max = -Infinity;
    let arg = 0;
    for (let k = 0; k < c; k++) {
      const t = this.logits[row + k] + bias[k];
      if (t > max) {
        max = t;
        arg = k;
      }
    }
    let sum = 0;
    let squares = 0;
    for (let k = 0; k < c; k++) {
      const v = Math.exp(this.logits[row + k] + bias[k] - max);
      sum += v;
      squares += v * v;
    }
    const y = this.labels[i];
    const labelShift = this.logits[row + y] + bias[y] - max;
    out.arg = arg;
    out.confidence = 1 / sum;
    out.logProbLabel = labelShift - Math.log(sum);
    out.sumSquares = squares / (sum * sum);
    out.probLabel = Math.exp(labelShift) / sum;
  }
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * The classes whose bias moved from `from` to `to` by other than the shift most classes share, when there
 * are at most `limit` of them; null otherwise or when a class leaves or joins -Infinity.
 */
function changedClasses(from: Float64Array, to: Float64Array, limit: number): { shift: number; changed: number[] } | null {
  const c = from.length;
  const deltas: number[] = [];
  for (let k = 0; k < c; k++) {
    if (from[k] === -Infinity || to[k] === -Infinity) {
      if (from[k] !== to[k]) return null;
    } else {
      deltas.push(to[k] - from[k]);
    }
  }
  if (deltas.length === 0) return null;
  // With at most `limit` < C/2 classes off the shared shift, the median is on it.
  const sorted = Float64Array.from(deltas).sort();
  const shift = sorted[sorted.length >> 1];
  const changed: number[] = [];
  for (let k = 0; k < c; k++) {
    if (from[k] === -Infinity) continue;
    if (Math.abs(to[k] - from[k] - shift) > SHIFT_TOLERANCE) {
      changed.push(k);
      if (changed.length > limit) return null;
    }
  }
  return { shift, changed };
}

/** A bias of C numbers, each finite or -Infinity ("never predict"), at least one finite. */
function checkBias(bias: ArrayLike<number> | undefined, c: number): Float64Array {
  if (bias === undefined) return new Float64Array(c);
  if (bias.length !== c) throw new Error(`Bias: expected ${c} values (one per class), got ${bias.length}.`);
  const out = Float64Array.from(bias);
  let anyFinite = false;
  for (let k = 0; k < c; k++) {
    if (Number.isNaN(out[k]) || out[k] === Infinity) {
      throw new Error(`Bias: class ${k} is ${out[k]}; a bias must be finite or -Infinity (never predict).`);
    }
    if (out[k] !== -Infinity) anyFinite = true;
  }
  if (!anyFinite) throw new Error('Bias: every class is -Infinity, so no class can be predicted.');
  return out;
}
