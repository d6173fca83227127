// The what-if evaluator: cached logits re-evaluated under a new class prior in one pass each.
// Pure typed arrays and no node imports, so it runs in a web worker.
//
// Construction stores E_ic = exp(z_ic - max_c z_ic) (float32, once). A prior enters as a bias b, and
// with B_c = exp(b_c - max b) the adjusted softmax of row i is p_ic = E_ic B_c / S_i, S_i = sum_c E_ic B_c.
// So one read of E per prior gives everything: the argmax of E_ic B_c is the prediction, best / S_i the
// confidence, log S_i the NLL, sum (E B)^2 / S^2 the Brier score. No exp in the hot loop.
// Where the products underflow (bias gaps beyond ~57 nats, or a zero target probability on the
// row's top class) the row is recomputed exactly from the logits.
import { type BiasKind, type BiasOptions, parsePrior, priorBias, PriorError } from '../priors';
import { summarize, type Accumulated } from './summarize';
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
}

export interface EvaluateOptions {
  /** Deployment prior the metrics are taken under (samples reweighted by p_t(y) / p_eval(y)). */
  readonly targetPrior?: ArrayLike<number>;
  /** Evaluate only these rows (e.g. a shifted test subset); all rows by default. */
  readonly rows?: Int32Array;
}

export const ECE_BINS = 15;
/** Below this winning product the float32 cache may have lost the row: recompute it exactly. */
const EXACT_ROW_BELOW = 1e-25;

/** Per-row results of the scan, written by the fast and the exact path alike. */
interface RowResult {
  arg: number;
  /** max_c p_ic */
  confidence: number;
  /** log p_{i, y_i} */
  logProbLabel: number;
  /** sum_c p_ic^2 */
  sumSquares: number;
  probLabel: number;
}

export class WhatIfEvaluator {
  readonly numSamples: number;
  readonly numClasses: number;
  private readonly logits: Float32Array;
  private readonly labels: Int32Array;
  /** exp(z_ic - max_c z_ic) */
  private readonly expLogits: Float32Array;
  /** z_{i,y_i} - max_c z_ic (<= 0), exact, for the NLL. */
  private readonly labelGap: Float64Array;
  private readonly trainCounts: Float64Array | null;
  private readonly thresholds: ShotThresholds;

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
    this.expLogits = new Float32Array(n * c);
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
      for (let k = 0; k < c; k++) this.expLogits[row + k] = Math.exp(logits[row + k] - max);
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

  /** Metrics with `bias` added to every row of logits (a zero bias when omitted). */
  evaluate(bias?: ArrayLike<number>, options: EvaluateOptions = {}): EvalMetrics {
    return this.scan(bias, options, null);
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

  /** Predicted class of every row (or of `rows`) with `bias` added. */
  predict(bias?: ArrayLike<number>, rows?: Int32Array): Int32Array {
    const out = new Int32Array(rows ? rows.length : this.numSamples);
    this.scan(bias, { rows }, out);
    return out;
  }

  private scan(biasIn: ArrayLike<number> | undefined, options: EvaluateOptions, predictions: Int32Array | null): EvalMetrics {
    const c = this.numClasses;
    const bias = checkBias(biasIn, c);
    let maxBias = -Infinity;
    for (let k = 0; k < c; k++) if (bias[k] > maxBias) maxBias = bias[k];
    const scale = new Float64Array(c); // B_c
    const logScale = new Float64Array(c); // b_c - max b
    for (let k = 0; k < c; k++) {
      logScale[k] = bias[k] - maxBias;
      scale[k] = Math.exp(logScale[k]);
    }

    const rows = options.rows;
    const count = rows ? rows.length : this.numSamples;
    if (count < 1) throw new Error('Evaluation: no rows selected.');
    const support = new Int32Array(c);
    for (let r = 0; r < count; r++) {
      const i = rows ? rows[r] : r;
      if (!(i >= 0 && i < this.numSamples)) throw new Error(`Evaluation: row index ${i} is outside 0..${this.numSamples - 1}.`);
      support[this.labels[i]]++;
    }
    const { weights, coverage, targetPrior } = sampleWeights(options.targetPrior, support, count);

    const confusion = new Int32Array(c * c);
    const binWeight = new Float64Array(ECE_BINS);
    const binCount = new Int32Array(ECE_BINS);
    const binConfidence = new Float64Array(ECE_BINS);
    const binCorrect = new Float64Array(ECE_BINS);
    let totalWeight = 0;
    let nll = 0;
    let brier = 0;
    let correct = 0;

    const e = this.expLogits;
    const rowSums = new Float64Array(4);
    const res: RowResult = { arg: 0, confidence: 0, logProbLabel: 0, sumSquares: 0, probLabel: 0 };
    for (let r = 0; r < count; r++) {
      const i = rows ? rows[r] : r;
      const y = this.labels[i];
      const row = i * c;
      scanRow(e, row, c, scale, rowSums);
      const sum = rowSums[0];
      const best = rowSums[2];
      if (best < EXACT_ROW_BELOW) {
        this.exactRow(i, bias, res);
      } else {
        res.arg = rowSums[3];
        res.confidence = best / sum;
        res.logProbLabel = this.labelGap[i] + logScale[y] - Math.log(sum);
        res.sumSquares = rowSums[1] / (sum * sum);
        res.probLabel = (e[row + y] * scale[y]) / sum;
      }
      if (predictions) predictions[r] = res.arg;
      confusion[y * c + res.arg]++;
      const hit = res.arg === y ? 1 : 0;
      correct += hit;
      const w = weights[y];
      if (w === 0) continue; // a class the target prior never sees: no say in NLL, Brier or ECE
      totalWeight += w;
      nll -= w * res.logProbLabel;
      brier += w * (res.sumSquares - 2 * res.probLabel + 1);
      const bin = Math.min(ECE_BINS - 1, Math.max(0, Math.ceil(res.confidence * ECE_BINS) - 1));
      binCount[bin]++;
      binWeight[bin] += w;
      binConfidence[bin] += w * res.confidence;
      binCorrect[bin] += w * hit;
    }

    const acc: Accumulated = {
      numClasses: c,
      numSamples: count,
      correct,
      confusion,
      support,
      weights,
      coverage,
      targetPrior,
      totalWeight,
      nll,
      brier,
      bins: { weight: binWeight, count: binCount, confidence: binConfidence, correct: binCorrect },
    };
    return summarize(acc, this.trainCounts, this.thresholds);
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

/**
 * The hot loop: v_k = E_k B_k over one row; writes [sum v, sum v^2, max v, first argmax] to `out`.
 * Unrolled by four with separate accumulators, so the adds do not wait on each other.
 */
function scanRow(e: Float32Array, row: number, c: number, scale: Float64Array, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let q3 = 0;
  let best = -1;
  let arg = 0;
  let k = 0;
  for (; k + 3 < c; k += 4) {
    const v0 = e[row + k] * scale[k];
    const v1 = e[row + k + 1] * scale[k + 1];
    const v2 = e[row + k + 2] * scale[k + 2];
    const v3 = e[row + k + 3] * scale[k + 3];
    s0 += v0;
    s1 += v1;
    s2 += v2;
    s3 += v3;
    q0 += v0 * v0;
    q1 += v1 * v1;
    q2 += v2 * v2;
    q3 += v3 * v3;
    if (v0 > best) {
      best = v0;
      arg = k;
    }
    if (v1 > best) {
      best = v1;
      arg = k + 1;
    }
    if (v2 > best) {
      best = v2;
      arg = k + 2;
    }
    if (v3 > best) {
      best = v3;
      arg = k + 3;
    }
  }
  for (; k < c; k++) {
    const v = e[row + k] * scale[k];
    s0 += v;
    q0 += v * v;
    if (v > best) {
      best = v;
      arg = k;
    }
  }
  out[0] = s0 + s1 + s2 + s3;
  out[1] = q0 + q1 + q2 + q3;
  out[2] = best;
  out[3] = arg;
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

/**
 * Per-class sample weight p_t(y) / p_eval(y) (1 everywhere without a target prior), the target mass on
 * classes present in the evaluation set, and the normalised target prior.
 */
function sampleWeights(
  targetPrior: ArrayLike<number> | undefined,
  support: Int32Array,
  count: number,
): { weights: Float64Array; coverage: number; targetPrior: Float64Array | null } {
  const c = support.length;
  if (targetPrior === undefined) return { weights: new Float64Array(c).fill(1), coverage: 1, targetPrior: null };
  const pt = parsePrior(targetPrior, c, 'target prior');
  const weights = new Float64Array(c);
  let coverage = 0;
  for (let k = 0; k < c; k++) {
    if (support[k] === 0) continue;
    weights[k] = (pt[k] * count) / support[k];
    coverage += pt[k];
  }
  if (coverage === 0) {
    throw new PriorError('target prior: it puts no weight on any class present in the evaluation set, so nothing can be measured under it.');
  }
  return { weights, coverage, targetPrior: pt };
}
