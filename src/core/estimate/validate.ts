// Input checks for estimatePrior: every message names the array, row, class or field at fault.
import { className } from '../classLabels';
import { logitsCarrySourcePrior } from '../runs/lossKind';
import type { EstimateOptions, LogitArray } from './types';

export class EstimateInputError extends Error {
  override readonly name = 'EstimateInputError';
}

function checkLogits(field: string, logits: LogitArray, rows: number, C: number, names?: readonly string[]): void {
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / C);
      throw new EstimateInputError(`${field}: row ${row} of ${rows}, ${className(i % C, names)} is ${v} (logits must be finite)`);
    }
  }
}

function checkLabels(field: string, labels: Int32Array, C: number, allowUnlabelled: boolean): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (allowUnlabelled && y === -1) continue;
    if (y < 0 || y >= C) {
      const allowed = allowUnlabelled ? `-1 (unlabelled) or 0..${C - 1}` : `0..${C - 1}`;
      throw new EstimateInputError(`${field}[${i}] = ${y} is not a class index (expected ${allowed})`);
    }
  }
}

function checkNonNegative(field: string, v: number | undefined, integer: boolean): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new EstimateInputError(`${field} must be a ${integer ? 'non-negative integer' : 'finite number >= 0'}, got ${v}`);
  }
}

/** Throws EstimateInputError on the first problem found. */
export function validateEstimateOptions(o: EstimateOptions): void {
  const C = o.numClasses;
  if (!Number.isInteger(C) || C < 2) throw new EstimateInputError(`numClasses must be an integer >= 2, got ${C}`);
  if (o.classNames !== undefined && o.classNames.length !== C) {
    throw new EstimateInputError(`classNames has ${o.classNames.length} names but numClasses is ${C}`);
  }
  const N = o.valLabels.length;
  if (N === 0) throw new EstimateInputError('valLabels is empty: the labelled validation split is needed to calibrate');
  if (o.valLogits.length !== N * C) {
    throw new EstimateInputError(
      `valLogits has ${o.valLogits.length} values but valLabels has ${N} labels x ${C} classes = ${N * C}`,
    );
  }
  if (o.deployLogits.length === 0) throw new EstimateInputError('deployLogits is empty: no deployment images to estimate from');
  if (o.deployLogits.length % C !== 0) {
    throw new EstimateInputError(`deployLogits has ${o.deployLogits.length} values, not a multiple of ${C} classes`);
  }
  const n = o.deployLogits.length / C;
  checkLabels('valLabels', o.valLabels, C, false);
  checkLogits('valLogits', o.valLogits, N, C, o.classNames);
  checkLogits('deployLogits', o.deployLogits, n, C, o.classNames);
  if (o.deployLabels !== undefined) {
    if (o.deployLabels.length !== n) {
      throw new EstimateInputError(`deployLabels has ${o.deployLabels.length} entries but deployLogits has ${n} rows`);
    }
    checkLabels('deployLabels', o.deployLabels, C, true);
  }
  if (!logitsCarrySourcePrior(o.lossKind) && o.sourcePrior === undefined) {
    throw new EstimateInputError(`sourcePrior is required for lossKind '${o.lossKind}' (its logits exclude log p_s)`);
  }
  if (o.sourcePrior !== undefined) {
    const p = o.sourcePrior;
    if (p.length !== C) throw new EstimateInputError(`sourcePrior has ${p.length} entries but numClasses is ${C}`);
    let sum = 0;
    for (let c = 0; c < C; c++) {
      if (!Number.isFinite(p[c]) || p[c] < 0) {
        throw new EstimateInputError(`sourcePrior for ${className(c, o.classNames)} is ${p[c]} (must be >= 0)`);
      }
      sum += p[c];
    }
    if (Math.abs(sum - 1) > 1e-3) throw new EstimateInputError(`sourcePrior sums to ${Number(sum.toPrecision(6))}, not 1`);
  }
  checkNonNegative('bootstrap', o.bootstrap, true);
  checkNonNegative('smoothing', o.smoothing, false);
  if (o.biasL2 !== 'auto') checkNonNegative('biasL2', o.biasL2, false);
  checkNonNegative('maxIterations', o.maxIterations, true);
  checkNonNegative('tolerance', o.tolerance, false);
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new EstimateInputError(`seed must be an integer, got ${o.seed}`);
}
