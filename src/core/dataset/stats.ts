// Label-distribution statistics of one split's per-class counts.
import { DatasetError } from './errors';
import type { ClassStat, Shot, StatsOptions } from './types';
import { DEFAULT_STATS_OPTIONS } from './types';

export interface DistributionStats {
  readonly classes: ClassStat[];
  readonly total: number;
  readonly imbalanceRatio: number;
  readonly gini: number;
  readonly entropy: number;
  readonly effectiveNumber: number;
  readonly shots: { readonly many: string[]; readonly medium: string[]; readonly few: string[] };
}

/** Fills in defaults and rejects settings that make no sense, naming the field. */
export function resolveStatsOptions(partial: Partial<StatsOptions> | undefined): StatsOptions {
  const o = { ...DEFAULT_STATS_OPTIONS, ...stripUndefined(partial ?? {}) };
  if (!Number.isFinite(o.manyThreshold) || o.manyThreshold < 0) throw new DatasetError(`the many-shot threshold (--many) must be a number >= 0, got ${o.manyThreshold}`);
  if (!Number.isFinite(o.fewThreshold) || o.fewThreshold < 0) throw new DatasetError(`the few-shot threshold (--few) must be a number >= 0, got ${o.fewThreshold}`);
  if (o.fewThreshold > o.manyThreshold) {
    throw new DatasetError(`the few-shot threshold (--few ${o.fewThreshold}) must not exceed the many-shot threshold (--many ${o.manyThreshold})`);
  }
  if (!(o.beta >= 0 && o.beta < 1)) throw new DatasetError(`the effective-number beta (--beta) must be in [0, 1), got ${o.beta}`);
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Cui et al. (2019): E_n = (1 - beta^n) / (1 - beta). */
export function effectiveNumber(n: number, beta: number): number {
  return (1 - beta ** n) / (1 - beta);
}

/** many: n > manyThreshold; few: n < fewThreshold; medium otherwise; empty: n = 0. */
export function shotOf(n: number, o: StatsOptions): Shot {
  if (n === 0) return 'empty';
  if (n > o.manyThreshold) return 'many';
  if (n < o.fewThreshold) return 'few';
  return 'medium';
}

/** Gini coefficient of the counts (0 = all equal, towards 1 = all in one class); empty classes count. */
export function gini(counts: readonly number[]): number {
  const n = counts.length;
  const sum = counts.reduce((a, b) => a + b, 0);
  if (n === 0 || sum === 0) return 0;
  const sorted = [...counts].sort((a, b) => a - b);
  // G = 2 * sum_i i * x_(i) / (n * sum) - (n + 1) / n, with x sorted ascending and i from 1.
  let weighted = 0;
  sorted.forEach((x, i) => (weighted += (i + 1) * x));
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

/** Shannon entropy of the prior over log C: 1 for a balanced split; 1 by convention for a single class. */
export function normalizedEntropy(counts: readonly number[]): number {
  const sum = counts.reduce((a, b) => a + b, 0);
  if (counts.length <= 1 || sum === 0) return 1;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / sum) * Math.log(c / sum);
  return h / Math.log(counts.length);
}

/** max/min over the non-empty classes (1 when there are none). */
export function imbalanceRatio(counts: readonly number[]): number {
  let max = 0;
  let min = Infinity;
  for (const c of counts) {
    if (c <= 0) continue;
    if (c > max) max = c;
    if (c < min) min = c;
  }
  return max === 0 ? 1 : max / min;
}

export function distributionStats(names: readonly string[], counts: readonly number[], o: StatsOptions): DistributionStats {
  const total = counts.reduce((a, b) => a + b, 0);
  const shots = { many: [] as string[], medium: [] as string[], few: [] as string[] };
  const classes = names.map((name, i): ClassStat => {
    const count = counts[i] ?? 0;
    const shot = shotOf(count, o);
    if (shot !== 'empty') shots[shot].push(name);
    return { name, count, share: total > 0 ? count / total : 0, effectiveNumber: effectiveNumber(count, o.beta), shot };
  });
  return {
    classes,
    total,
    imbalanceRatio: imbalanceRatio(counts),
    gini: gini(counts),
    entropy: normalizedEntropy(counts),
    effectiveNumber: classes.reduce((a, c) => a + c.effectiveNumber, 0),
    shots,
  };
}
