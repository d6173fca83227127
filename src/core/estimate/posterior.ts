// Source-posterior logits and their (calibrated) softmax, row by row.
import { logitsCarrySourcePrior, type LossKind } from '../runs/lossKind';
import type { LogitArray } from './types';

/** Same epsilon as the LADE code: log(p_s + 1e-9). */
const PRIOR_EPS = 1e-9;

/**
 * Logits s(x) with softmax(s) = p_s(y|x). CE logits already are; prior-free logits (LADE, Balanced
 * Softmax, logit adjustment) get log p_s added back.
 */
export function sourceLogits(
  logits: LogitArray,
  C: number,
  lossKind: LossKind,
  sourcePrior: ArrayLike<number> | undefined,
): LogitArray {
  if (logitsCarrySourcePrior(lossKind)) return logits;
  if (sourcePrior === undefined) throw new Error(`sourceLogits: lossKind '${lossKind}' needs the source prior`);
  const logPrior = new Float64Array(C);
  for (let c = 0; c < C; c++) logPrior[c] = Math.log(sourcePrior[c] + PRIOR_EPS);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i] + logPrior[i % C];
  return out;
}

/** Writes softmax(a * s_row + b) of row i into out (length C). */
export function softmaxRow(s: LogitArray, i: number, C: number, a: number, b: Float64Array, out: Float64Array): void {
  const off = i * C;
  let max = -Infinity;
  for (let c = 0; c < C; c++) {
    const z = a * s[off + c] + b[c];
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < C; c++) {
    const e = Math.exp(out[c] - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < C; c++) out[c] /= sum;
}

/** All rows of softmax(s / T + b), n x C. */
export function calibratedProbs(s: LogitArray, C: number, T: number, b: Float64Array): Float64Array {
  const n = s.length / C;
  const probs = new Float64Array(s.length);
  const row = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    softmaxRow(s, i, C, 1 / T, b, row);
    probs.set(row, i * C);
  }
  return probs;
}

/** Column means of an n x C probability matrix. */
export function meanRows(probs: Float64Array, C: number): Float64Array {
  const n = probs.length / C;
  const mean = new Float64Array(C);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) mean[c] += probs[i * C + c];
  for (let c = 0; c < C; c++) mean[c] /= n;
  return mean;
}

/** max_c softmax(s_i)_c = 1 / sum_c exp(s_ic - max_c s_ic), row by row. */
export function maxSoftmax(s: LogitArray, C: number): Float64Array {
  const n = s.length / C;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, s[off + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(s[off + c] - max);
    out[i] = 1 / sum;
  }
  return out;
}
