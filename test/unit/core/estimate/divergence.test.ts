import { describe, expect, it } from 'vitest';
import { jsDivergence, l1Distance } from '../../../../src/core/estimate/divergence';

describe('jsDivergence', () => {
  it('is 0 for equal priors, symmetric, and ln 2 for disjoint supports', () => {
    const p = [0.5, 0.3, 0.2];
    const q = [0.1, 0.1, 0.8];
    expect(jsDivergence(p, p)).toBe(0);
    expect(jsDivergence(p, q)).toBeCloseTo(jsDivergence(q, p), 15);
    expect(jsDivergence([1, 0], [0, 1])).toBeCloseTo(Math.LN2, 15);
  });

  it('matches a hand-computed value', () => {
    // m = (0.75, 0.25): KL(p||m) = ln(4/3), KL(q||m) = 0.5 ln(2/3) + 0.5 ln 2 = 0.5 ln(4/3).
    expect(jsDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(0.75 * Math.log(4 / 3), 15);
  });

  it('rejects priors of different lengths', () => {
    expect(() => jsDivergence([1], [0.5, 0.5])).toThrow(/p has 1 classes but q has 2/);
    expect(() => l1Distance([1], [0.5, 0.5])).toThrow(/p has 1 classes but q has 2/);
  });

  it('l1Distance sums absolute differences', () => {
    expect(l1Distance([0.5, 0.5, 0], [0.2, 0.3, 0.5])).toBeCloseTo(1, 15);
  });
});
