// The methods each loss is compared as, and the bias each method adds: defined once, checked against the
// formulas (docs: PC Softmax removes log p_s, every prior-free loss adds only log p_t).
import { describe, expect, it } from 'vitest';
import { priorBias } from '../../../../src/core/priors';
import { biasKindOf, compensatedMethod, LOSS_KINDS, methodLabel, methodsFor, type LossKind } from '../../../../src/core/runs/lossKind';

describe('methodsFor', () => {
  it.each([
    ['ce', ['softmax', 'pc_softmax'], ['Softmax', 'PC Softmax']],
    ['lade', ['lade'], ['LADE']],
    ['bs', ['lade'], ['Balanced Softmax']],
    ['la', ['lade'], ['Logit adjustment']],
  ] as const)('a %s run is compared as %j', (loss, methods, labels) => {
    expect(methodsFor(loss)).toEqual(methods);
    expect(methodsFor(loss).map((m) => methodLabel(m, loss))).toEqual(labels);
    expect(compensatedMethod(loss)).toBe(methods.at(-1));
  });

  it('covers every loss kind', () => {
    expect([...LOSS_KINDS].sort()).toEqual(['bs', 'ce', 'la', 'lade']);
  });
});

describe('biasKindOf', () => {
  const ps = [0.7, 0.2, 0.1];
  const pt = [0.2, 0.3, 0.5];
  const expected = (f: (c: number) => number) => ps.map((_, c) => f(c));

  it('adds nothing for plain softmax, -log p_s + log p_t for PC Softmax, log p_t for the prior-free losses', () => {
    expect(Array.from(priorBias(biasKindOf('softmax'), ps, pt))).toEqual([0, 0, 0]);
    expect(Array.from(priorBias(biasKindOf('pc_softmax'), ps, pt))).toEqual(expected((c) => Math.log(pt[c]!) - Math.log(ps[c]!)));
    for (const loss of ['lade', 'bs', 'la'] as LossKind[]) {
      expect(Array.from(priorBias(biasKindOf(compensatedMethod(loss)), ps, pt))).toEqual(expected((c) => Math.log(pt[c]!)));
    }
  });
});
