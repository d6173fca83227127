// Percentile bootstrap: resample the deployment rows with replacement (as multiplicities, so no logits
// are copied) and re-run the estimator on each resample; the estimator may draw its own validation
// resample from the same generator.
import type { Rng } from '../rng';
import type { PriorIntervals } from './types';

export function bootstrapIntervals(
  n: number,
  C: number,
  resamples: number,
  rng: Rng,
  estimate: (weights: Uint32Array, rng: Rng) => Float64Array,
  onResample?: (done: number) => void,
  level = 0.95,
): Omit<PriorIntervals, 'includesCalibration'> {
  const draws = new Float64Array(resamples * C);
  const weights = new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    weights.fill(0);
    for (let j = 0; j < n; j++) weights[rng.int(n)]++;
    draws.set(estimate(weights, rng), r * C);
    onResample?.(r + 1);
  }
  const lo = new Float64Array(C);
  const hi = new Float64Array(C);
  const column = new Float64Array(resamples);
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < resamples; r++) column[r] = draws[r * C + c];
    column.sort();
    lo[c] = quantile(column, (1 - level) / 2);
    hi[c] = quantile(column, 1 - (1 - level) / 2);
  }
  return { lo, hi, level, resamples };
}

/** Linear-interpolation quantile of sorted values (type 7, as R and NumPy default). */
export function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const j = Math.min(i + 1, sorted.length - 1);
  return sorted[i] + (h - i) * (sorted[j] - sorted[i]);
}

/** Indices 0..N-1 drawn N times with replacement. */
export function resampleIndices(N: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: N }, () => rng.int(N));
}
