import { describe, expect, it } from 'vitest';
import { argmaxRows, predictionRates, prepareBbse } from '../../../../src/core/estimate/bbse';
import { luFactor, luSolve } from '../../../../src/core/estimate/linalg';
import { Rng } from '../../../../src/core/rng';

describe('luFactor / luSolve', () => {
  it('solves a random system that needs pivoting', () => {
    const rng = new Rng(3);
    const n = 30;
    const A = new Float64Array(n * n).map(() => rng.next() - 0.5);
    A[0] = 0; // forces a row swap at the first column
    const x = new Float64Array(n).map(() => rng.next());
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += A[i * n + j] * x[j];
    const solved = luSolve(luFactor(A, n), b);
    for (let i = 0; i < n; i++) expect(solved[i]).toBeCloseTo(x[i], 10);
  });

  it('reports a zero pivot for a singular matrix', () => {
    expect(luFactor(Float64Array.of(1, 2, 2, 4), 2).minPivot).toBe(0);
  });
});

describe('prepareBbse', () => {
  // Validation: class 0 predicted right 8/10 times, class 1 right 6/10, class 2 right 9/10.
  const valLabels = Int32Array.of(...Array(10).fill(0), ...Array(10).fill(1), ...Array(10).fill(2));
  const valPred = Int32Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1);

  it('inverts the confusion matrix exactly when deployment rates follow it', () => {
    const bbse = prepareBbse(valPred, valLabels, 3);
    expect(bbse.singular).toBe(false);
    const target = [0.2, 0.5, 0.3];
    // mu = M pi with M[i][j] = P(yhat = i | y = j).
    const M = [
      [0.8, 0.2, 0],
      [0.1, 0.6, 0.1],
      [0.1, 0.2, 0.9],
    ];
    const mu = Float64Array.from(M, (row) => row.reduce((s, m, j) => s + m * target[j], 0));
    const { prior, clipped } = bbse.solve(mu);
    expect(clipped).toBe(0);
    prior.forEach((p, c) => expect(p).toBeCloseTo(target[c], 12));
    expect(Array.from(bbse.sourcePrior)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('clips negative shares and renormalises', () => {
    const bbse = prepareBbse(valPred, valLabels, 3);
    // All predictions class 0: more than class 0 alone can explain, so the solve goes negative.
    const { prior, clipped } = bbse.solve(Float64Array.of(1, 0, 0));
    expect(clipped).toBeGreaterThan(0);
    expect(Math.min(...prior)).toBeGreaterThanOrEqual(0);
    expect(prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('falls back to ridge least squares when the confusion matrix is singular', () => {
    // Class 2 is always predicted as class 1, so classes 1 and 2 have identical columns.
    const labels = Int32Array.of(0, 0, 1, 1, 2, 2);
    const bbse = prepareBbse(Int32Array.of(0, 0, 1, 1, 1, 1), labels, 3);
    expect(bbse.singular).toBe(true);
    const { prior } = bbse.solve(Float64Array.of(0.5, 0.5, 0));
    expect(prior[0]).toBeCloseTo(0.5, 4);
    expect(prior[1] + prior[2]).toBeCloseTo(0.5, 4);
  });

  it('counts predictions with multiplicities', () => {
    const pred = argmaxRows(Float32Array.of(1, 0, 0, 2, 3, 1), 2);
    expect(Array.from(pred)).toEqual([0, 1, 0]);
    expect(Array.from(predictionRates(pred, 2, Uint32Array.of(1, 2, 1)))).toEqual([0.5, 0.5]);
  });
});
