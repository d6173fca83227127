// The target prior is checked and normalised once, where it is made or arrives; the brand carries that.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PriorError } from '../../../../src/core/priors';
import { TargetPriorSchema, targetPrior, uniformTarget, withLabel, type TargetPrior } from '../../../../src/core/priors/target';

describe('TargetPrior', () => {
  it('is built from counts or shares, normalised, with its intervals kept', () => {
    expect(targetPrior('counts', [3, 1])).toEqual({ label: 'counts', shares: [0.75, 0.25] });
    expect(targetPrior('est', Float64Array.of(1, 1), [[0.4, 0.6], null])).toEqual({ label: 'est', shares: [0.5, 0.5], intervals: [[0.4, 0.6], null] });
    expect(uniformTarget(4).shares).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('refuses what is not a prior, naming the problem', () => {
    expect(() => targetPrior('zeros', [0, 0])).toThrow(PriorError);
    expect(() => targetPrior('zeros', [0, 0])).toThrow("prior 'zeros': the prior's shares must have a positive, finite sum");
    expect(() => targetPrior('neg', [1, -1])).toThrow(PriorError);
    expect(() => targetPrior('huge', [Number.MAX_VALUE, Number.MAX_VALUE])).toThrow('positive, finite sum');
    expect(() => targetPrior('iv', [1, 1], [null])).toThrow('one interval (or null) per share');
    expect(() => targetPrior('empty', [])).toThrow(PriorError);
  });

  it('is only made by parsing: a plain object is not one (checked by the type system)', () => {
    // @ts-expect-error a literal lacks the brand, so no code can hand on an unchecked prior as a TargetPrior
    const unchecked: TargetPrior = { label: 'x', shares: [2, 2] };
    const parsed = v.parse(TargetPriorSchema, unchecked);
    expect(parsed.shares).toEqual([0.5, 0.5]);
  });

  it('keeps its shares under a new label', () => {
    const p = targetPrior('edited', [1, 3]);
    expect(withLabel(p, 'deploy')).toEqual({ label: 'deploy', shares: [0.25, 0.75] });
  });
});
