import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../../src/core/dataset/errors';
import {
  distributionStats,
  effectiveNumber,
  gini,
  imbalanceRatio,
  normalizedEntropy,
  resolveStatsOptions,
  shotOf,
} from '../../../../src/core/dataset/stats';
import { DEFAULT_STATS_OPTIONS } from '../../../../src/core/dataset/types';

describe('statistics', () => {
  it('gini is 0 for equal counts and (n-1)/n when one class holds everything', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 12])).toBeCloseTo(3 / 4, 12);
    // Mean absolute difference over all ordered pairs / (2 * mean): [1, 3] -> (2 + 2) / 4 / (2 * 2) = 0.25.
    expect(gini([3, 1])).toBeCloseTo(0.25, 12);
  });

  it('normalized entropy is 1 when balanced, 0 when one class has all, and log-ratio in between', () => {
    expect(normalizedEntropy([7, 7, 7])).toBeCloseTo(1, 12);
    expect(normalizedEntropy([0, 9, 0])).toBe(0);
    const p = [0.75, 0.25];
    expect(normalizedEntropy([3, 1])).toBeCloseTo(-(p[0]! * Math.log(p[0]!) + p[1]! * Math.log(p[1]!)) / Math.log(2), 12);
    expect(normalizedEntropy([4])).toBe(1);
  });

  it('imbalance ratio is max/min over non-empty classes', () => {
    expect(imbalanceRatio([500, 0, 5, 50])).toBe(100);
    expect(imbalanceRatio([0, 0])).toBe(1);
  });

  it('effective number follows (1 - beta^n) / (1 - beta)', () => {
    expect(effectiveNumber(0, 0.999)).toBe(0);
    expect(effectiveNumber(1, 0.999)).toBeCloseTo(1, 12);
    expect(effectiveNumber(1000, 0.999)).toBeCloseTo((1 - 0.999 ** 1000) / 0.001, 9);
    expect(effectiveNumber(37, 0)).toBe(1);
  });

  it('shot groups use strict thresholds: many > 100, few < 20', () => {
    const o = DEFAULT_STATS_OPTIONS;
    expect([101, 100, 20, 19, 1, 0].map((n) => shotOf(n, o))).toEqual(['many', 'medium', 'medium', 'few', 'few', 'empty']);
    expect(shotOf(50, { ...o, manyThreshold: 40, fewThreshold: 10 })).toBe('many');
  });

  it('distributionStats gives the prior, per-class effective numbers and named shot groups', () => {
    const s = distributionStats(['a', 'b', 'c', 'd'], [200, 50, 10, 0], DEFAULT_STATS_OPTIONS);
    expect(s.total).toBe(260);
    expect(s.classes.map((c) => c.share)).toEqual([200 / 260, 50 / 260, 10 / 260, 0]);
    expect(s.shots).toEqual({ many: ['a'], medium: ['b'], few: ['c'] });
    expect(s.classes[3]!.shot).toBe('empty');
    expect(s.effectiveNumber).toBeCloseTo([200, 50, 10].reduce((a, n) => a + effectiveNumber(n, 0.999), 0), 9);
    expect(s.imbalanceRatio).toBe(20);
  });

  it('resolveStatsOptions fills defaults and rejects bad settings by name', () => {
    expect(resolveStatsOptions({ beta: undefined, fewThreshold: 5 })).toEqual({ manyThreshold: 100, fewThreshold: 5, beta: 0.999 });
    expect(() => resolveStatsOptions({ beta: 1 })).toThrow(/beta/);
    expect(() => resolveStatsOptions({ fewThreshold: 200 })).toThrow(DatasetError);
    expect(() => resolveStatsOptions({ manyThreshold: Number.NaN })).toThrow(/the many-shot threshold \(--many\) must be a number >= 0, got NaN/);
  });
});
