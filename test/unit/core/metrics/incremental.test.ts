// The what-if evaluator's incremental pass: a slider move (one class's target share set, the others
// rescaled, locked ones kept) is answered from the last full pass's per-row state and must give the
// metrics a fresh full pass gives; what it cannot do exactly goes back to a full pass.
import { describe, expect, it } from 'vitest';
import { WhatIfEvaluator, type EvalMetrics, type RowScanEngine } from '../../../../src/core/metrics';
import { priorBias, shiftedPrior } from '../../../../src/core/priors';
import { randomLogits } from './reference';

/** The editor's slider rule: class j gets `share`, unlocked others keep their ratios, locked ones stay. */
function moveSlider(prior: Float64Array, j: number, share: number, locked: readonly number[] = []): Float64Array {
  const out = Float64Array.from(prior);
  const lockedMass = locked.reduce((a, k) => a + prior[k]!, 0);
  let free = 0;
  for (let k = 0; k < prior.length; k++) if (k !== j && !locked.includes(k)) free += prior[k]!;
  const factor = (1 - lockedMass - share) / free;
  for (let k = 0; k < prior.length; k++) if (k !== j && !locked.includes(k)) out[k] = prior[k]! * factor;
  out[j] = share;
  return out;
}

/** Every number of two metric objects within a relative 1e-9; integer arrays exactly. */
function expectSameMetrics(actual: EvalMetrics, expected: EvalMetrics): void {
  const walk = (a: unknown, e: unknown, at: string): void => {
    if (e instanceof Int32Array) {
      expect(Array.from(a as Int32Array), at).toEqual(Array.from(e));
    } else if (typeof e === 'number') {
      if (!Number.isFinite(e)) expect(a, at).toBe(e);
      else expect(Math.abs((a as number) - e), at).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
    } else if (e && typeof e === 'object') {
      for (const key of Object.keys(e)) walk((a as Record<string, unknown>)[key], (e as Record<string, unknown>)[key], `${at}.${key}`);
    } else {
      expect(a, at).toEqual(e);
    }
  };
  walk(actual, expected, 'metrics');
}

const C = 40;
const { logits, labels } = randomLogits(500, C, 7);
const trainCounts = Array.from({ length: C }, (_, k) => 1 + Math.floor(500 * Math.pow(0.01, k / (C - 1))));

function fresh(engine: RowScanEngine): WhatIfEvaluator {
  return new WhatIfEvaluator({ logits, labels, numClasses: C }, { trainCounts, engine });
}

describe.each(['wasm', 'js'] as const)('incremental what-if pass (%s)', (engine) => {
  for (const kind of ['lade', 'ce-pc'] as const) {
    it(`follows a drag of sliders with the full pass's numbers (${kind})`, () => {
      const live = fresh(engine);
      let prior = shiftedPrior(trainCounts, 100, 'backward', 10);
      const metrics = (p: Float64Array) => live.evaluate(priorBias(kind, trainCounts, p), { targetPrior: p });
      metrics(prior);
      expect(live.lastPass).toBe('full');
      // Small and large moves, one class up to dominate and down to almost nothing (its rows then change
      // winner and are rescanned), a second class, then a move with two classes locked.
      const moves: [number, number, number[]][] = [
        [3, 0.05, []],
        [3, 0.06, []],
        [3, 0.9, []],
        [3, 1e-9, []],
        [17, 0.2, []],
        [25, 0.01, [3, 17]],
      ];
      for (const [j, share, locked] of moves) {
        prior = moveSlider(prior, j, share, locked);
        const got = metrics(prior);
        expect(live.lastPass).toBe('incremental');
        expectSameMetrics(got, fresh(engine).evaluate(priorBias(kind, trainCounts, prior), { targetPrior: prior }));
      }
    });
  }

  it('goes back to a full pass when many classes move, or a class leaves or joins -Infinity', () => {
    const live = fresh(engine);
    const uniform = new Float64Array(C).fill(1 / C);
    live.evaluate(priorBias('lade', trainCounts, uniform));
    const preset = shiftedPrior(trainCounts, 100, 'forward', 5);
    live.evaluate(priorBias('lade', trainCounts, preset));
    expect(live.lastPass).toBe('full');
    const zero = moveSlider(preset, 5, 0);
    const withZero = live.evaluate(priorBias('lade', trainCounts, zero), { targetPrior: zero });
    expect(live.lastPass).toBe('full');
    expectSameMetrics(withZero, fresh(engine).evaluate(priorBias('lade', trainCounts, zero), { targetPrior: zero }));
    // Against the kept pass with the zero, moving another class is incremental again.
    const next = moveSlider(zero, 6, 0.1);
    expectSameMetrics(live.evaluate(priorBias('lade', trainCounts, next), { targetPrior: next }), fresh(engine).evaluate(priorBias('lade', trainCounts, next), { targetPrior: next }));
    expect(live.lastPass).toBe('incremental');
    // The same bias again is the kept result itself.
    live.evaluate(priorBias('lade', trainCounts, next));
    expect(live.lastPass).toBe('cached');
  });

  it('predicts from the same state as evaluate, and row subsets always scan', () => {
    const live = fresh(engine);
    const prior = shiftedPrior(trainCounts, 100, 'backward', 25);
    live.evaluate(priorBias('lade', trainCounts, prior));
    const moved = moveSlider(prior, 0, 0.3);
    const bias = priorBias('lade', trainCounts, moved);
    const rows = Int32Array.from({ length: 50 }, (_, i) => i * 3);
    const subset = live.evaluate(bias, { rows });
    expect(live.lastPass).toBe('rows');
    expectSameMetrics(subset, fresh(engine).evaluate(bias, { rows }));
    expect(Array.from(live.predict(bias))).toEqual(Array.from(fresh(engine).predict(bias)));
  });
});
