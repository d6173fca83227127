import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  longTailedCounts,
  parsePrior,
  PriorError,
  priorBias,
  rankByFrequency,
  shiftedPrior,
  shiftedTestCounts,
  type ShiftDirection,
  uniformPrior,
} from '../../../../src/core/priors';

describe('parsePrior', () => {
  it('normalises counts and probabilities alike', () => {
    expect(Array.from(parsePrior([100, 50, 0, 50], 4))).toEqual([0.5, 0.25, 0, 0.25]);
    expect(Array.from(parsePrior(new Float32Array([0.5, 0.5]), 2))).toEqual([0.5, 0.5]);
    expect(Array.from(parsePrior([3], 1))).toEqual([1]);
  });

  it('keeps huge counts finite (no overflow of the sum)', () => {
    const p = parsePrior([1e308, 1e308, 1e308], 3);
    for (const v of p) expect(v).toBeCloseTo(1 / 3, 15);
  });

  it.each([
    [[1, 2], 3, /source prior: expected 3 values \(one per class\), got 2/],
    [[1, -2, 3], 3, /source prior: class 1 is -2; every entry must be a finite number >= 0/],
    [[1, NaN], 2, /class 1 is NaN/],
    [[Infinity, 1], 2, /class 0 is Infinity/],
    [[1, '2'], 2, /class 1 is the string "2"; every entry must be a number/],
    [[0, 0], 2, /all 2 entries are 0; at least one class needs a positive value/],
    ['0.5,0.5', 2, /expected a list of 2 numbers \(counts or probabilities\), got the string/],
    [{ a: 1 }, 1, /got an object/],
    [null, 1, /got null/],
  ])('rejects %j with a clear message', (values, c, message) => {
    expect(() => parsePrior(values, c, 'source prior')).toThrow(PriorError);
    expect(() => parsePrior(values, c, 'source prior')).toThrow(message);
  });

  it('names the class when names are given, and rejects a bad class count', () => {
    expect(() => parsePrior([1, -1], 2, 'target prior', ['cat', 'dog'])).toThrow('target prior: dog is -1;');
    expect(() => parsePrior([], 0)).toThrow('the number of classes must be a positive integer, got 0');
  });

  it('property: any valid list becomes a distribution proportional to it; invalid ones throw PriorError', () => {
    const entry = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e300, noNaN: true }), fc.integer({ min: 0, max: 1000 }));
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 40 }), (values) => {
        const max = Math.max(...values);
        if (max === 0) {
          expect(() => parsePrior(values, values.length)).toThrow(PriorError);
          return;
        }
        const p = parsePrior(values, values.length);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        const iMax = values.indexOf(max);
        for (let i = 0; i < values.length; i++) {
          expect(Number.isFinite(p[i]) && p[i] >= 0).toBe(true);
          expect(p[i] / p[iMax]).toBeCloseTo(values[i] / max, 12);
        }
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.constantFrom(-1, NaN, Infinity, -Infinity),
        (values, at, bad) => {
          const i = at % values.length;
          const broken = [...values];
          broken[i] = bad;
          expect(() => parsePrior(broken, broken.length)).toThrow(new RegExp(`class ${i} is ${bad}`));
        },
      ),
    );
  });

  it('uniformPrior', () => {
    expect(Array.from(uniformPrior(4))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(() => uniformPrior(1.5)).toThrow(PriorError);
  });
});

describe('priorBias', () => {
  const ps = [0.5, 0.3, 0.2];
  const pt = [0.2, 0.2, 0.6];

  it('adds log p_t for LADE / Balanced Softmax, and -log p_s + log p_t for PC Softmax', () => {
    const lade = priorBias('lade', ps, pt);
    const pc = priorBias('ce-pc', ps, pt);
    for (let c = 0; c < 3; c++) {
      expect(lade[c]).toBeCloseTo(Math.log(pt[c]), 14);
      expect(pc[c]).toBeCloseTo(Math.log(pt[c]) - Math.log(ps[c]), 14);
    }
    expect(Array.from(priorBias('bs', ps, pt))).toEqual(Array.from(lade));
    expect(Array.from(priorBias('softmax', ps, pt))).toEqual([0, 0, 0]);
  });

  it('logit adjustment interpolates: tau = 1 is LADE, tau = 0 is PC Softmax', () => {
    expect(Array.from(priorBias('la', ps, pt))).toEqual(Array.from(priorBias('lade', ps, pt)));
    const la0 = priorBias('la', ps, pt, { tau: 0 });
    const pc = priorBias('ce-pc', ps, pt);
    for (let c = 0; c < 3; c++) expect(la0[c]).toBeCloseTo(pc[c], 14);
  });

  it('accepts counts and treats a zero target probability as never predict', () => {
    const bias = priorBias('ce-pc', [50, 30, 20], [1, 0, 1]);
    expect(bias[1]).toBe(-Infinity);
    expect(bias[0]).toBeCloseTo(Math.log(0.5) - Math.log(0.5), 14);
  });

  it('refuses PC Softmax for a class with no training images but a positive target prior', () => {
    expect(() => priorBias('ce-pc', [10, 0, 5], [1, 1, 1], { classNames: ['a', 'b', 'c'] })).toThrow(
      /PC Softmax: b has no training images/,
    );
    // Never deployed either: fine, -Infinity. LADE needs no source prior at all.
    expect(priorBias('ce-pc', [10, 0, 5], [1, 0, 1])[1]).toBe(-Infinity);
    expect(priorBias('lade', [10, 0, 5], [1, 1, 1])[1]).toBeCloseTo(Math.log(1 / 3), 14);
  });

  it('property: a bias is finite except -Infinity exactly where p_t = 0, or a PriorError for PC without training images', () => {
    const entry = fc.oneof(fc.constant(0), fc.double({ min: 1e-300, max: 1e6, noNaN: true }));
    const kind = fc.constantFrom('lade', 'bs', 'la', 'ce-pc', 'softmax' as const);
    const vector = (c: number) => fc.array(entry, { minLength: c, maxLength: c });
    const tauArb = fc.double({ min: -2, max: 2, noNaN: true });
    const caseArb = fc.integer({ min: 1, max: 8 }).chain((c) => fc.tuple(vector(c), vector(c), kind, tauArb));
    fc.assert(
      fc.property(caseArb, ([ps, pt, k, tau]) => {
        let bias: Float64Array;
        try {
          bias = priorBias(k, ps, pt, { tau });
        } catch (err) {
          expect(err).toBeInstanceOf(PriorError);
          const allZero = ps.every((v) => v === 0) || pt.every((v) => v === 0);
          const uncompensable = (k === 'ce-pc' || (k === 'la' && tau !== 1)) && ps.some((v, c) => v === 0 && pt[c] > 0);
          expect(allZero || uncompensable).toBe(true);
          return;
        }
        bias.forEach((b, c) => {
          expect(Number.isNaN(b)).toBe(false);
          if (k !== 'softmax' && pt[c] === 0) expect(b).toBe(-Infinity);
          else expect(Number.isFinite(b)).toBe(true);
        });
      }),
    );
  });

  it('validates both priors', () => {
    expect(() => priorBias('lade', ps, [1, 1])).toThrow('target prior: expected 3 values');
    expect(() => priorBias('lade', [1, NaN, 1], pt)).toThrow('source prior: class 1 is NaN');
  });
});

describe('shifted test sets', () => {
  const golden = JSON.parse(readFileSync('test/fixtures/lade-golden-public.json', 'utf8')) as {
    shift_protocol_cases: Array<Record<string, unknown>>;
    cifar100_lt_train_counts: Record<string, number[]>;
  };

  it('reproduces every golden shift case exactly', () => {
    const cases = golden.shift_protocol_cases.filter((s) => 'train_prior' in s);
    expect(cases.length).toBeGreaterThanOrEqual(7);
    for (const s of cases) {
      const args = [s.train_prior as number[], s.img_max as number, s.direction as ShiftDirection, s.ratio as number] as const;
      expect(Array.from(shiftedTestCounts(...args)), String(s.id)).toEqual(s.test_counts);
      const prior = shiftedPrior(...args);
      (s.target_prior as number[]).forEach((v, i) => expect(prior[i]).toBeCloseTo(v, 15));
    }
  });

  it('reproduces the CIFAR-100-LT training profiles', () => {
    for (const [ratio, counts] of Object.entries(golden.cifar100_lt_train_counts)) {
      expect(Array.from(longTailedCounts(100, 500, Number(ratio)))).toEqual(counts);
    }
  });

  it('breaks ties in training counts by class index, and handles C = 1', () => {
    expect(Array.from(rankByFrequency([5, 9, 5, 9]))).toEqual([1, 3, 0, 2]);
    expect(Array.from(shiftedTestCounts([5, 9, 5, 9], 8, 'forward', 8))).toEqual([2, 8, 1, 4]);
    expect(Array.from(shiftedTestCounts([5, 9, 5, 9], 8, 'backward', 8))).toEqual([4, 1, 8, 2]);
    expect(Array.from(shiftedTestCounts([7], 10, 'backward', 50))).toEqual([10]);
    expect(Array.from(shiftedTestCounts([1, 2], 10, 'uniform', 1))).toEqual([10, 10]);
  });

  it('rejects a bad ratio or count', () => {
    expect(() => shiftedTestCounts([1, 2], 10, 'forward', 0.5)).toThrow('imbalance ratio must be a finite number >= 1');
    expect(() => shiftedTestCounts([1, 2], -1, 'forward', 2)).toThrow('per-class count must be a non-negative integer');
  });
});
