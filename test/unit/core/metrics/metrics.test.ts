import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  evaluateLogits,
  firstImagesMask,
  shiftSweep,
  subsetProtocol,
  WhatIfEvaluator,
  type EvalMetrics,
} from '../../../../src/core/metrics';
import { priorBias, PriorError } from '../../../../src/core/priors';
import { randomLogits, referenceMetrics } from './reference';

function expectNoNaN(m: EvalMetrics): void {
  const numbers = [m.top1, m.expectedAccuracy, m.targetCoverage, m.macroRecall, m.macroPrecision, m.nll, m.brier, m.ece];
  for (const v of numbers) expect(Number.isNaN(v)).toBe(false);
  for (const v of [...m.perClassRecall, ...m.perClassPrecision]) expect(Number.isFinite(v)).toBe(true);
  for (const b of m.reliability) expect(Number.isFinite(b.accuracy) && Number.isFinite(b.confidence) && Number.isFinite(b.weight)).toBe(true);
}

describe('evaluateLogits on a hand-checked example', () => {
  // 3 classes, 4 samples; predictions 0, 1, 1, 2 for labels 0, 1, 2, 2.
  const logits = Float32Array.from([2, 0, 0, 0, 3, 0, 0, 1, 0.5, 0, 0, 2]);
  const labels = Int32Array.from([0, 1, 2, 2]);
  const m = evaluateLogits({ logits, labels, numClasses: 3, trainCounts: [500, 50, 5] });

  it('counts the confusion, recall, precision and shots', () => {
    expect(Array.from(m.confusion)).toEqual([1, 0, 0, 0, 1, 0, 0, 1, 1]);
    expect(m.top1).toBe(0.75);
    expect(m.expectedAccuracy).toBe(0.75);
    expect(Array.from(m.perClassRecall)).toEqual([1, 1, 0.5]);
    expect(Array.from(m.perClassPrecision)).toEqual([1, 0.5, 1]);
    expect(Array.from(m.support)).toEqual([1, 1, 2]);
    expect(Array.from(m.predictedCount)).toEqual([1, 2, 1]);
    expect(m.macroRecall).toBeCloseTo(2.5 / 3, 12);
    expect(m.shots).toEqual({ many: 1, medium: 1, few: 0.5 });
  });

  it('computes NLL, Brier and ECE from the softmax', () => {
    const soft = (row: number[]) => {
      const s = row.reduce((a, v) => a + Math.exp(v), 0);
      return row.map((v) => Math.exp(v) / s);
    };
    const rows = [soft([2, 0, 0]), soft([0, 3, 0]), soft([0, 1, 0.5]), soft([0, 0, 2])];
    const nll = -(Math.log(rows[0][0]) + Math.log(rows[1][1]) + Math.log(rows[2][2]) + Math.log(rows[3][2])) / 4;
    const brier = rows.reduce((acc, p, i) => acc + p.reduce((a, v, k) => a + (v - (k === labels[i] ? 1 : 0)) ** 2, 0), 0) / 4;
    expect(m.nll).toBeCloseTo(nll, 7);
    expect(m.brier).toBeCloseTo(brier, 7);
    // Confidences and their (lower, upper] bins of width 1/15; ECE = sum over bins |acc - conf| * share.
    const conf = rows.map((p) => Math.max(...p));
    const correct = [1, 1, 0, 1];
    const bins = new Map<number, { n: number; acc: number; conf: number }>();
    conf.forEach((v, i) => {
      const b = Math.ceil(v * 15) - 1;
      const e = bins.get(b) ?? { n: 0, acc: 0, conf: 0 };
      bins.set(b, { n: e.n + 1, acc: e.acc + correct[i], conf: e.conf + v });
    });
    let ece = 0;
    for (const e of bins.values()) ece += (e.n / 4) * Math.abs(e.acc / e.n - e.conf / e.n);
    expect(m.ece).toBeCloseTo(ece, 6);
    expect(m.reliability).toHaveLength(15);
    expect(m.reliability.reduce((a, b) => a + b.count, 0)).toBe(4);
    for (const [b, e] of bins) expect(m.reliability[b].count).toBe(e.n);
  });

  it('applies a bias and uses configurable shot thresholds', () => {
    const shifted = evaluateLogits({ logits, labels, numClasses: 3, bias: [0, 0, 10], trainCounts: [500, 50, 5], thresholds: { many: 600, few: 10 } });
    expect(Array.from(shifted.perClassRecall)).toEqual([0, 0, 1]);
    expect(shifted.shots).toEqual({ many: null, medium: 0, few: 1 });
  });
});

describe('metrics under a target prior', () => {
  it('expected accuracy is sum_y p_t(y) recall_y and does not move when the evaluation set is made imbalanced', () => {
    const { logits, labels } = randomLogits(600, 5, 11);
    const target = [0.5, 0.2, 0.15, 0.1, 0.05];
    const balanced = evaluateLogits({ logits, labels, numClasses: 5, targetPrior: target });
    const recall = balanced.perClassRecall;
    expect(balanced.expectedAccuracy).toBeCloseTo(target.reduce((a, p, k) => a + p * recall[k], 0), 12);
    // Triple every row of class 0: p_eval changes, the reweighted metrics do not.
    const rows = Array.from(labels.keys()).flatMap((i) => (labels[i] === 0 ? [i, i, i] : [i]));
    const c = 5;
    const l2 = Int32Array.from(rows.map((i) => labels[i]));
    const z2 = new Float32Array(rows.length * c);
    rows.forEach((i, r) => z2.set(logits.subarray(i * c, i * c + c), r * c));
    const skewed = evaluateLogits({ logits: z2, labels: l2, numClasses: c, targetPrior: target });
    expect(skewed.expectedAccuracy).toBeCloseTo(balanced.expectedAccuracy, 12);
    expect(skewed.nll).toBeCloseTo(balanced.nll, 9);
    expect(skewed.brier).toBeCloseTo(balanced.brier, 9);
    expect(skewed.ece).toBeCloseTo(balanced.ece, 9);
    expect(Array.from(skewed.perClassPrecision).map((v) => v.toFixed(9))).toEqual(Array.from(balanced.perClassPrecision).map((v) => v.toFixed(9)));
    expect(skewed.top1).not.toBeCloseTo(balanced.top1, 6); // the unweighted top-1 does move
  });

  it('a zero target probability means never predicted, and leaks no NaN', () => {
    const { logits, labels } = randomLogits(200, 4, 12);
    const target = [0.4, 0, 0.3, 0.3];
    const m = evaluateLogits({ logits, labels, numClasses: 4, bias: priorBias('lade', [1, 1, 1, 1], target), targetPrior: target });
    expect(m.predictedCount[1]).toBe(0);
    expect(m.perClassRecall[1]).toBe(0);
    expect(m.targetCoverage).toBeCloseTo(1, 12);
    expect(Number.isFinite(m.nll)).toBe(true);
    expectNoNaN(m);
  });

  it('leaves classes the target prior never sees out of the many/medium/few means, in both engines', () => {
    // Predictions 0, 1, 1, 2 for labels 0, 1, 2, 2: recall 1, 1, 0.5; classes 1 and 2 are both few.
    const logits = Float32Array.from([2, 0, 0, 0, 3, 0, 0, 1, 0.5, 0, 0, 2]);
    const labels = Int32Array.from([0, 1, 2, 2]);
    const trainCounts = [500, 5, 5];
    expect(evaluateLogits({ logits, labels, numClasses: 3, trainCounts }).shots).toEqual({ many: 1, medium: null, few: 0.75 });
    const target = [0.5, 0, 0.5];
    expect(evaluateLogits({ logits, labels, numClasses: 3, trainCounts, targetPrior: target }).shots).toEqual({ many: 1, medium: null, few: 0.5 });
    for (const engine of ['js', 'wasm'] as const) {
      const evaluator = new WhatIfEvaluator({ logits, labels, numClasses: 3 }, { trainCounts, engine });
      expect(evaluator.evaluate(undefined, { targetPrior: target }).shots).toEqual({ many: 1, medium: null, few: 0.5 });
      expect(evaluator.evaluate(undefined, { targetPrior: [0, 0.5, 0.5] }).shots).toEqual({ many: null, medium: null, few: 0.75 });
    }
  });

  it('renormalises over the target mass the evaluation set covers', () => {
    const logits = Float32Array.from([3, 0, 0, 0, 3, 0]);
    const labels = Int32Array.from([0, 1]);
    const m = evaluateLogits({ logits, labels, numClasses: 3, targetPrior: [0.25, 0.25, 0.5] });
    expect(m.targetCoverage).toBe(0.5);
    expect(m.expectedAccuracy).toBe(1);
    expect(() => evaluateLogits({ logits, labels, numClasses: 3, targetPrior: [0, 0, 1] })).toThrow(PriorError);
  });

  it('property: matches the plain reference for random priors, empty classes, C = 1, N = 1 and huge logits', () => {
    const logit = fc.oneof(
      fc.float({ min: -20, max: 20, noNaN: true }),
      fc.float({ noNaN: true, noDefaultInfinity: true }), // up to +-3.4e38
    );
    const caseArb = fc.integer({ min: 1, max: 6 }).chain((c) =>
      fc.record({
        c: fc.constant(c),
        rows: fc.array(fc.record({ y: fc.integer({ min: 0, max: c - 1 }), z: fc.array(logit, { minLength: c, maxLength: c }) }), {
          minLength: 1,
          maxLength: 10,
        }),
        target: fc.option(fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e3, noNaN: true })), { minLength: c, maxLength: c }), {
          nil: undefined,
        }),
      }),
    );
    fc.assert(
      fc.property(caseArb, ({ c, rows, target }) => {
        const logits = Float32Array.from(rows.flatMap((r) => r.z));
        const labels = Int32Array.from(rows.map((r) => r.y));
        let bias: Float64Array = new Float64Array(c);
        let m: EvalMetrics;
        try {
          if (target) bias = priorBias('lade', new Float64Array(c).fill(1), target);
          m = evaluateLogits({ logits, labels, numClasses: c, bias, targetPrior: target, trainCounts: new Array(c).fill(30) });
        } catch (err) {
          // Only a prior that is all zeros or misses every evaluated class may be refused.
          expect(err).toBeInstanceOf(PriorError);
          const covered = target ? labels.some((y) => target[y] > 0) : true;
          expect(!covered || (target ?? []).every((v) => v === 0)).toBe(true);
          return;
        }
        expectNoNaN(m);
        const ref = referenceMetrics(logits, labels, c, bias, target);
        // Exact ties may go either way; the chosen class must attain the row maximum.
        const wm = new WhatIfEvaluator({ logits, labels, numClasses: c });
        const pred = wm.predict(bias);
        pred.forEach((k, i) => {
          const gap = ref.rowMax[i] - ref.adjusted[i * c + k];
          expect(gap).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.rowMax[i])));
        });
        if (pred.every((k, i) => k === ref.predictions[i])) {
          expect(m.expectedAccuracy).toBeCloseTo(ref.expectedAccuracy, 9);
          expect(Array.from(m.perClassRecall)).toEqual(Array.from(ref.recall));
        }
        const tol = (v: number) => 1e-6 * Math.max(1, Math.abs(v));
        expect(Math.abs(m.nll - ref.nll)).toBeLessThanOrEqual(tol(ref.nll));
        expect(Math.abs(m.brier - ref.brier)).toBeLessThanOrEqual(1e-6);
        expect(m.ece).toBeGreaterThanOrEqual(0);
        expect(m.ece).toBeLessThanOrEqual(1);
        expect(m.reliability.reduce((a, b) => a + b.weight, 0)).toBeCloseTo(1, 9);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects malformed inputs with messages naming the row, class or count', () => {
    const logits = Float32Array.from([0, 1, 2, 3]);
    expect(() => evaluateLogits({ logits, labels: Int32Array.from([0, 2]), numClasses: 2 })).toThrow('row 1 has label 2, outside 0..1');
    expect(() => evaluateLogits({ logits, labels: Int32Array.from([0]), numClasses: 2 })).toThrow('expected 1 rows x 2 classes = 2 values');
    expect(() => evaluateLogits({ logits: Float32Array.from([0, NaN]), labels: Int32Array.from([0]), numClasses: 2 })).toThrow(
      'row 0, class 1 is NaN',
    );
    expect(() => evaluateLogits({ logits, labels: Int32Array.from([0, 1]), numClasses: 2, bias: [0, NaN] })).toThrow('Bias: class 1 is NaN');
    expect(() => evaluateLogits({ logits, labels: Int32Array.from([0, 1]), numClasses: 2, bias: [-Infinity, -Infinity] })).toThrow(
      'no class can be predicted',
    );
    expect(() => evaluateLogits({ logits: new Float32Array(0), labels: new Int32Array(0), numClasses: 2 })).toThrow('evaluation set is empty');
    expect(() => evaluateLogits({ logits, labels: Int32Array.from([0, 1]), numClasses: 2, trainCounts: [1, -1] })).toThrow(
      'training counts: class 1 is -1',
    );
  });
});

describe('the subset protocol', () => {
  const golden = JSON.parse(readFileSync('test/fixtures/lade-golden-public.json', 'utf8')) as {
    shift_protocol_cases: Array<{ id: string; test_labels?: number[]; test_counts: number[]; mask?: boolean[] }>;
  };

  it('keeps the first images of each class in file order (golden get_mask example)', () => {
    const example = golden.shift_protocol_cases.find((s) => s.mask !== undefined);
    expect(example).toBeDefined();
    const mask = firstImagesMask(Int32Array.from(example?.test_labels ?? []), example?.test_counts ?? []);
    expect(Array.from(mask, Boolean)).toEqual(example?.mask);
    expect(() => firstImagesMask(Int32Array.from([0, 1, 1]), [2, 1])).toThrow('class 0 needs 2 evaluation images but has only 1');
    expect(() => subsetProtocol({ labels: Int32Array.from([0, 0, 2]), trainCounts: [5, 4, 3], direction: 'forward', ratio: 2 })).toThrow(
      'class 1 has no evaluation images',
    );
  });

  it('selects forward/backward subsets with their exact priors and evaluates them as a sweep', () => {
    const c = 4;
    const { logits, labels } = randomLogits(400, c, 5);
    const trainCounts = [10, 400, 40, 100];
    const forward = subsetProtocol({ labels, trainCounts, direction: 'forward', ratio: 10, perClassTestCount: 60 });
    expect(forward.name).toBe('forward-10');
    expect(Array.from(forward.testCounts)).toEqual([6, 60, 12, 27]);
    const kept = new Int32Array(c);
    for (const i of forward.rows) kept[labels[i]]++;
    expect(Array.from(kept)).toEqual([6, 60, 12, 27]);
    expect(forward.targetPrior[1]).toBeCloseTo(60 / 105, 12);

    const evaluator = new WhatIfEvaluator({ logits, labels, numClasses: c });
    const sweep = shiftSweep(evaluator, { labels, trainCounts, kind: 'lade', sourcePrior: trainCounts, ratios: [2, 10] });
    expect(sweep.map((r) => r.subset.name)).toEqual(['forward-10', 'forward-2', 'uniform', 'backward-2', 'backward-10']);
    const smallest = Math.min(...Array.from({ length: c }, (_, k) => labels.filter((y) => y === k).length));
    expect(Array.from(sweep[2].subset.testCounts)).toEqual([smallest, smallest, smallest, smallest]);
    for (const row of sweep) {
      expect(row.metrics.numSamples).toBe(row.subset.rows.length);
      expect(Array.from(row.metrics.support)).toEqual(Array.from(row.subset.testCounts));
    }
  });
});
