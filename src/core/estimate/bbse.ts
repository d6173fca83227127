// Black-box shift estimation (Lipton, Wang & Smola 2018): with the validation confusion matrix
// M[i][j] = P_s(yhat = i | y = j) and the deployment prediction rates mu[i] = P_t(yhat = i),
// label shift gives M pi = mu. Solve, clip negative shares to 0 and renormalise.
import { luFactor, luSolve, type LuFactors } from './linalg';
import type { LogitArray } from './types';

/** Pivots below this (relative to the largest entry) make M numerically singular. */
const SINGULAR_PIVOT = 1e-12;
/** Ridge of the least-squares fallback (M^T M + RIDGE I) pi = M^T mu for a singular M. */
const RIDGE = 1e-6;

export function argmaxRows(s: LogitArray, C: number): Int32Array {
  const n = s.length / C;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (s[i * C + c] > s[i * C + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Normalised histogram of predicted classes, each row counted weights[j] times (default once). */
export function predictionRates(pred: Int32Array, C: number, weights?: Uint32Array): Float64Array {
  const mu = new Float64Array(C);
  let total = 0;
  for (let j = 0; j < pred.length; j++) {
    const w = weights ? weights[j] : 1;
    mu[pred[j]] += w;
    total += w;
  }
  for (let c = 0; c < C; c++) mu[c] /= total;
  return mu;
}

export interface BbseSolution {
  readonly prior: Float64Array;
  /** Classes whose solved share was negative and clipped to 0. */
  readonly clipped: number;
}

export interface BbseModel {
  /** Validation label frequencies (the source prior BBSE is relative to). */
  readonly sourcePrior: Float64Array;
  /** True when M was singular and the ridge least-squares fallback is used. */
  readonly singular: boolean;
  solve(mu: Float64Array): BbseSolution;
}

export function prepareBbse(valPred: Int32Array, valLabels: Int32Array, C: number): BbseModel {
  const counts = new Float64Array(C);
  const M = new Float64Array(C * C);
  for (let i = 0; i < valLabels.length; i++) {
    counts[valLabels[i]]++;
    M[valPred[i] * C + valLabels[i]]++;
  }
  for (let j = 0; j < C; j++) {
    // A class without validation images has no column to measure; assume it is always recognised.
    if (counts[j] === 0) M[j * C + j] = 1;
    else for (let i = 0; i < C; i++) M[i * C + j] /= counts[j];
  }
  const sourcePrior = counts.map((c) => c / valLabels.length);

  let factors: LuFactors = luFactor(M, C);
  const singular = factors.minPivot < SINGULAR_PIVOT;
  if (singular) {
    const normal = new Float64Array(C * C);
    for (let i = 0; i < C; i++) {
      for (let j = 0; j < C; j++) {
        let s = 0;
        for (let k = 0; k < C; k++) s += M[k * C + i] * M[k * C + j];
        normal[i * C + j] = s + (i === j ? RIDGE : 0);
      }
    }
    factors = luFactor(normal, C);
  }

  const solve = (mu: Float64Array): BbseSolution => {
    let rhs: Float64Array = mu;
    if (singular) {
      rhs = new Float64Array(C);
      for (let i = 0; i < C; i++) for (let k = 0; k < C; k++) rhs[i] += M[k * C + i] * mu[k];
    }
    const x = luSolve(factors, rhs);
    let clipped = 0;
    let sum = 0;
    for (let c = 0; c < C; c++) {
      if (!(x[c] > 0)) {
        if (x[c] < 0) clipped++;
        x[c] = 0;
      }
      sum += x[c];
    }
    if (sum > 0) for (let c = 0; c < C; c++) x[c] /= sum;
    else x.fill(1 / C);
    return { prior: x, clipped };
  };
  return { sourcePrior, singular, solve };
}
