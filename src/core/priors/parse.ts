// Validates a class prior given as counts or probabilities and returns it normalised to sum 1.
// Browser-safe: no node imports (the what-if evaluator runs in a web worker).
import { className as label } from '../classLabels';
import { UserError } from '../userError';

/** A prior that fails validation; the message names the prior, the class and what is wrong. */
export class PriorError extends UserError {
  override readonly name = 'PriorError';
}

function assertClassCount(numClasses: number, what: string): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new PriorError(`${what}: the number of classes must be a positive integer, got ${numClasses}.`);
  }
}

/**
 * Reads `values` (an array or typed array of C non-negative finite numbers: counts or probabilities) and
 * returns them divided by their sum. Zeros are allowed (an empty class, or "never deployed").
 */
export function parsePrior(
  values: unknown,
  numClasses: number,
  what = 'prior',
  classNames?: readonly string[],
): Float64Array {
  assertClassCount(numClasses, what);
  const isList = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isList) {
    throw new PriorError(`${what}: expected a list of ${numClasses} numbers (counts or probabilities), got ${describe(values)}.`);
  }
  const list = values as ArrayLike<unknown>;
  if (list.length !== numClasses) {
    throw new PriorError(`${what}: expected ${numClasses} values (one per class), got ${list.length}.`);
  }
  const out = new Float64Array(numClasses);
  let max = 0;
  for (let i = 0; i < numClasses; i++) {
    const v = list[i];
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      throw new PriorError(`${what}: ${label(i, classNames)} is ${describe(v)}; every entry must be a number.`);
    }
    const x = Number(v);
    if (!Number.isFinite(x) || x < 0) {
      throw new PriorError(`${what}: ${label(i, classNames)} is ${x}; every entry must be a finite number >= 0.`);
    }
    out[i] = x;
    if (x > max) max = x;
  }
  if (max === 0) {
    throw new PriorError(`${what}: all ${numClasses} entries are 0; at least one class needs a positive value.`);
  }
  // Scale by the largest entry first so that the sum cannot overflow (counts near 1e308 stay finite).
  let sum = 0;
  for (let i = 0; i < numClasses; i++) sum += out[i] / max;
  for (let i = 0; i < numClasses; i++) out[i] = out[i] / max / sum;
  return out;
}

export function uniformPrior(numClasses: number): Float64Array {
  assertClassCount(numClasses, 'uniform prior');
  return new Float64Array(numClasses).fill(1 / numClasses);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + '...' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
