// The what-if evaluator's two engines (WebAssembly SIMD and JavaScript), its prior-free class sums, their
// merge across row sets, and the scan kept for a bias that does not move (plain Softmax).
import { describe, expect, it } from 'vitest';
import { correctRows, DEFAULT_SHOT_THRESHOLDS, denseConfusion, mergeClassSums, summarizeClassSums, WhatIfEvaluator, type ClassSums } from '../../../../src/core/metrics';
import { ConfusionCounter } from '../../../../src/core/metrics/classSums';
import { rowScanModuleBytes } from '../../../../src/core/metrics/rowScanWasm';
import { priorBias, shiftedPrior } from '../../../../src/core/priors';
import { randomLogits } from './reference';

const plain = (s: ClassSums) => ({ ...s, support: Array.from(s.support), cells: Array.from(s.cells), nll: Array.from(s.nll), brier: Array.from(s.brier), binCount: Array.from(s.binCount), binConfidence: Array.from(s.binConfidence), binCorrect: Array.from(s.binCorrect) });

describe('the WebAssembly SIMD row scan', () => {
  it('is a valid module and is what the evaluator runs by default here', () => {
    expect(WebAssembly.validate(rowScanModuleBytes())).toBe(true);
    const { logits, labels } = randomLogits(10, 3, 1);
    expect(new WhatIfEvaluator({ logits, labels, numClasses: 3 }).engine).toBe('wasm');
  });

  // Every column count mod 4 (the SIMD loop takes four columns per turn, the rest one at a time), C = 1 included.
  for (const c of [1, 2, 3, 4, 5, 7, 8, 13, 67, 100]) {
    it(`gives bit-identical metrics and predictions to the JavaScript loop at C = ${c}`, () => {
      const { logits, labels } = randomLogits(300, c, c);
      const trainCounts = Array.from({ length: c }, (_, k) => 1 + Math.floor(400 * Math.pow(0.02, k / Math.max(1, c - 1))));
      const wasm = new WhatIfEvaluator({ logits, labels, numClasses: c }, { trainCounts, engine: 'wasm' });
      const js = new WhatIfEvaluator({ logits, labels, numClasses: c }, { trainCounts, engine: 'js' });
      expect([wasm.engine, js.engine]).toEqual(['wasm', 'js']);
      for (const [direction, ratio] of [['forward', 50], ['backward', 10], ['uniform', 1]] as const) {
        const target = shiftedPrior(trainCounts, 100, direction, ratio);
        for (const kind of ['lade', 'ce-pc', 'softmax'] as const) {
          const bias = priorBias(kind, trainCounts, target);
          expect(wasm.evaluate(bias, { targetPrior: target })).toEqual(js.evaluate(bias, { targetPrior: target }));
          expect(Array.from(wasm.predict(bias))).toEqual(Array.from(js.predict(bias)));
        }
      }
    });
  }

  it('keeps the first column of a tie, as the JavaScript loop does, in every lane position', () => {
    // Row r has its maximum twice, at columns r and r + 1..4 later: the first must win.
    const c = 12;
    const rows: number[][] = [];
    for (let first = 0; first < 8; first++) for (let gap = 1; gap <= 4; gap++) {
      const z = new Array<number>(c).fill(0);
      z[first] = 5;
      z[first + gap] = 5;
      rows.push(z);
    }
    const logits = Float32Array.from(rows.flat());
    const labels = new Int32Array(rows.length);
    const expected = rows.map((z) => z.indexOf(5));
    for (const engine of ['wasm', 'js'] as const) {
      expect(Array.from(new WhatIfEvaluator({ logits, labels, numClasses: c }, { engine }).predict())).toEqual(expected);
    }
  });
});

describe('class sums', () => {
  const c = 9;
  const { logits, labels } = randomLogits(401, c, 21);
  const trainCounts = Array.from({ length: c }, (_, k) => Math.floor(300 * Math.pow(0.05, k / (c - 1))) + 1);
  const whole = new WhatIfEvaluator({ logits, labels, numClasses: c }, { trainCounts });

  it('of disjoint row sets merge to the whole set: the same metrics under any prior', () => {
    // Three uneven parts, each its own evaluator over its rows only (as the panel's workers hold them).
    const cuts = [0, 97, 250, 401];
    const parts = cuts.slice(1).map((end, p) => {
      const start = cuts[p] as number;
      return new WhatIfEvaluator({ logits: logits.slice(start * c, end * c), labels: labels.slice(start, end), numClasses: c }, { trainCounts });
    });
    for (const [direction, ratio] of [['backward', 25], ['forward', 5]] as const) {
      const target = shiftedPrior(trainCounts, 100, direction, ratio);
      const bias = priorBias('lade', trainCounts, target);
      const merged = mergeClassSums(parts.map((p) => p.classSums(bias)));
      const all = whole.classSums(bias);
      expect(merged.numSamples).toBe(401);
      expect(Array.from(denseConfusion(merged))).toEqual(Array.from(denseConfusion(all)));
      expect(merged.cells.length).toBeGreaterThan(all.cells.length); // cells split between parts are listed once per part
      expect(correctRows(merged)).toBe(correctRows(all));
      expect(Array.from(merged.binCount)).toEqual(Array.from(all.binCount));
      const a = summarizeClassSums(merged, target, Float64Array.from(trainCounts), DEFAULT_SHOT_THRESHOLDS);
      const b = whole.evaluate(bias, { targetPrior: target });
      expect(a.expectedAccuracy).toBe(b.expectedAccuracy);
      expect(a.top1).toBe(correctRows(all) / 401);
      expect(Array.from(a.perClassRecall)).toEqual(Array.from(b.perClassRecall));
      expect(a.shots).toEqual(b.shots);
      // Float sums in another order: equal to rounding.
      a.perClassPrecision.forEach((p, k) => expect(p).toBeCloseTo(b.perClassPrecision[k] as number, 14));
      expect(a.macroPrecision).toBeCloseTo(b.macroPrecision, 14);
      expect(a.nll).toBeCloseTo(b.nll, 12);
      expect(a.brier).toBeCloseTo(b.brier, 12);
      expect(a.ece).toBeCloseTo(b.ece, 12);
    }
    expect(() => mergeClassSums([])).toThrow('no parts');
    expect(() => mergeClassSums([whole.classSums(), new WhatIfEvaluator({ logits: logits.slice(0, 8), labels: labels.slice(0, 1), numClasses: 8 }).classSums()])).toThrow(
      'parts over 9 and 8 classes',
    );
  });

  it('are kept for a bias that does not move, so plain Softmax needs one scan for every target prior', () => {
    const evaluator = new WhatIfEvaluator({ logits, labels, numClasses: c }, { trainCounts });
    const zero = priorBias('softmax', trainCounts, shiftedPrior(trainCounts, 100, 'forward', 10));
    const first = evaluator.classSums(zero);
    const snapshot = plain(first);
    for (const ratio of [2, 10, 50]) {
      const target = shiftedPrior(trainCounts, 100, 'backward', ratio);
      expect(evaluator.classSums(priorBias('softmax', trainCounts, target))).toBe(first);
      evaluator.classSums(priorBias('lade', trainCounts, target)); // other methods in between keep it
      // ...and the kept scan summarised under this prior is a fresh evaluation's answer.
      const fresh = new WhatIfEvaluator({ logits, labels, numClasses: c }, { trainCounts });
      expect(evaluator.evaluate(zero, { targetPrior: target })).toEqual(fresh.evaluate(zero, { targetPrior: target }));
    }
    expect(evaluator.classSums(Float64Array.from(zero, (b, k) => (k === 0 ? b + 1e-9 : b)))).not.toBe(first);
    // What evaluate() hands out is a copy: changing it leaves the kept scan alone.
    const m = evaluator.evaluate(zero);
    m.confusion.fill(0);
    m.support.fill(0);
    expect(plain(evaluator.classSums(zero))).toEqual(snapshot);
  });
});

describe('the confusion counter', () => {
  // 100 classes use the dense scratch matrix, 2,001 (over 4 million cells) the map.
  for (const c of [100, 2001]) {
    it(`lists the touched cells row-major with their counts and starts over after take() (C = ${c})`, () => {
      const counter = new ConfusionCounter(c);
      const pairs: [number, number][] = [[5, 7], [0, 99], [5, 7], [99, 0], [5, 6], [5, 7]];
      for (const [y, p] of pairs) counter.add(y, p);
      expect(Array.from(counter.take())).toEqual([0, 99, 1, 5, 6, 1, 5, 7, 3, 99, 0, 1]);
      counter.add(3, 3);
      expect(Array.from(counter.take())).toEqual([3, 3, 1]);
      expect(Array.from(counter.take())).toEqual([]);
    });
  }
});
