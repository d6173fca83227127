// Label-shift check: under pure label shift p_t(x) = sum_y pi_y p_s(x|y), so any label-free statistic
// of x (here the max calibrated probability) has the same distribution on the deployment set as on the
// validation set reweighted by pi_y / freq_y (freq_y = validation label frequency). A weighted
// two-sample Kolmogorov-Smirnov test compares the two; the weights use the validation label counts
// because those make the reweighted empirical sample exact.
import type { ShiftCheck } from './types';

/** c(alpha) of the two-sample KS test at alpha = 0.01. */
const KS_C_ALPHA = 1.628;
/**
 * The KS null ignores that pi is itself estimated; with many classes that error alone moves the statistic
 * by a few hundredths (0.037 against a critical 0.031 under pure label shift with C = 1000, 6 validation
 * images per class), so smaller differences are not called a violation.
 */
const MIN_MEANINGFUL_KS = 0.05;

function weightedEcdfSteps(values: Float64Array, weights?: Float64Array): { v: Float64Array; w: Float64Array } {
  const order = Array.from(values.keys()).sort((i, j) => values[i] - values[j]);
  const v = new Float64Array(order.length);
  const w = new Float64Array(order.length);
  let total = 0;
  for (let k = 0; k < order.length; k++) total += weights ? weights[order[k]] : 1;
  for (let k = 0; k < order.length; k++) {
    v[k] = values[order[k]];
    w[k] = (weights ? weights[order[k]] : 1) / total;
  }
  return { v, w };
}

/** sup_x |F_a(x) - F_b(x)| for weighted empirical CDFs (ties are stepped over together). */
export function weightedKs(a: Float64Array, aWeights: Float64Array | undefined, b: Float64Array, bWeights?: Float64Array): number {
  const A = weightedEcdfSteps(a, aWeights);
  const B = weightedEcdfSteps(b, bWeights);
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let d = 0;
  while (i < A.v.length || j < B.v.length) {
    const x = Math.min(i < A.v.length ? A.v[i] : Infinity, j < B.v.length ? B.v[j] : Infinity);
    while (i < A.v.length && A.v[i] === x) fa += A.w[i++];
    while (j < B.v.length && B.v[j] === x) fb += B.w[j++];
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

/**
 * The reweighted validation sample stands in for each class by its validation images; classes with fewer
 * than this many are represented too poorly to reweight (with C = 1000 and ~5 images per class the check
 * raised false alarms under pure label shift).
 */
export const MIN_VAL_IMAGES = 5;
/** Above this share of the estimated deployment prior on such classes, the check is not run. */
const MAX_POORLY_REPRESENTED = 0.2;

export function labelShiftCheck(
  valStat: Float64Array,
  valLabels: Int32Array,
  deployStat: Float64Array,
  prior: Float64Array,
  C: number,
): ShiftCheck {
  const counts = new Float64Array(C);
  for (let i = 0; i < valLabels.length; i++) counts[valLabels[i]]++;
  const weights = new Float64Array(valLabels.length);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < valLabels.length; i++) {
    const y = valLabels[i];
    const w = prior[y] / (counts[y] / valLabels.length);
    weights[i] = w;
    sum += w;
    sumSq += w * w;
  }
  let poorlyRepresented = 0;
  for (let c = 0; c < C; c++) if (counts[c] < MIN_VAL_IMAGES) poorlyRepresented += prior[c];
  if (poorlyRepresented > MAX_POORLY_REPRESENTED) {
    return { statistic: NaN, threshold: NaN, violated: false, poorlyRepresented };
  }
  const statistic = weightedKs(valStat, weights, deployStat);
  const nEff = (sum * sum) / sumSq;
  const m = deployStat.length;
  const threshold = Math.max(MIN_MEANINGFUL_KS, KS_C_ALPHA * Math.sqrt((nEff + m) / (nEff * m)));
  return { statistic, threshold, violated: statistic > threshold, poorlyRepresented };
}
