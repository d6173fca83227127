import { describe, expect, it } from 'vitest';
import { PriorError, shiftedPrior } from '../../../../src/core/priors';
import { buildPreset, presetLabel } from '../../../../src/core/priors/presets';

const names = ['a', 'b', 'c', 'd', 'e'];
const counts = [500, 200, 80, 30, 5];

describe('prior presets', () => {
  it('uniform and same-as-training are 1/C and counts / total', () => {
    expect(Array.from(buildPreset({ kind: 'uniform' }, names, counts))).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    const training = buildPreset({ kind: 'training' }, names, counts);
    counts.forEach((n, i) => expect(training[i]).toBeCloseTo(n / 815, 15));
  });

  it('forward-r and backward-r are the shifted test-set priors of the paper, ranked by training count', () => {
    // Training counts out of class order: the rank, not the index, decides which class keeps most images.
    const shuffled = [30, 500, 5, 200, 80];
    const fwd = buildPreset({ kind: 'forward', ratio: 10 }, names, shuffled);
    const bwd = buildPreset({ kind: 'backward', ratio: 10, perClassCount: 50 }, names, shuffled);
    expect(Array.from(fwd)).toEqual(Array.from(shiftedPrior(shuffled, 100, 'forward', 10)));
    expect(Array.from(bwd)).toEqual(Array.from(shiftedPrior(shuffled, 50, 'backward', 10)));
    // forward keeps floor(100 * 0.1^(k/4)) = 100, 56, 31, 17, 10 by rank; 'b' (500) ranks first.
    const kept = [17, 100, 10, 56, 31];
    kept.forEach((k, i) => expect(fwd[i]).toBeCloseTo(k / 214, 15));
    expect(bwd[2]).toBeGreaterThan(bwd[1]!);
  });

  it('"only these classes" spreads the mass evenly over the chosen classes', () => {
    expect(Array.from(buildPreset({ kind: 'only', classes: ['b', 'e'] }, names, counts))).toEqual([0, 0.5, 0, 0, 0.5]);
    expect(() => buildPreset({ kind: 'only', classes: ['zebra'] }, names, counts)).toThrow("there is no class 'zebra'");
    expect(() => buildPreset({ kind: 'only', classes: [] }, names, counts)).toThrow(PriorError);
  });

  it('rejects bad ratios and mismatched counts with a message', () => {
    expect(() => buildPreset({ kind: 'forward', ratio: 0.5 }, names, counts)).toThrow('ratio must be a finite number >= 1');
    expect(() => buildPreset({ kind: 'backward', ratio: 5, perClassCount: 0 }, names, counts)).toThrow('per-class test count');
    expect(() => buildPreset({ kind: 'uniform' }, names, [1, 2])).toThrow('2 training counts for 5 classes');
  });

  it('labels presets the way the sweep names them', () => {
    expect(presetLabel({ kind: 'backward', ratio: 10 })).toBe('backward-10');
    expect(presetLabel({ kind: 'forward', ratio: 2.5 })).toBe('forward-2.5');
    expect(presetLabel({ kind: 'only', classes: ['x', 'y'] })).toBe('only-2-classes');
  });
});
