import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { evaluateLogits, WhatIfEvaluator } from '../../../../src/core/metrics';
import { priorBias, shiftedPrior } from '../../../../src/core/priors';
import { randomLogits, referenceMetrics } from '../metrics/reference';

describe('the what-if evaluator', () => {
  const c = 20;
  const { logits, labels } = randomLogits(500, c, 3);
  const trainCounts = Array.from({ length: c }, (_, k) => Math.floor(500 * Math.pow(0.01, k / (c - 1))));
  const evaluator = new WhatIfEvaluator({ logits, labels, numClasses: c }, { trainCounts });

  it('gives the same metrics as a fresh evaluation for every prior it is asked about', () => {
    for (const [direction, ratio] of [['forward', 50], ['backward', 10], ['uniform', 1]] as const) {
      const target = shiftedPrior(trainCounts, 100, direction, ratio);
      const bias = priorBias('ce-pc', trainCounts, target);
      const again = evaluator.evaluate(bias, { targetPrior: target });
      const fresh = evaluateLogits({ logits, labels, numClasses: c, bias, targetPrior: target, trainCounts });
      expect(again).toEqual(fresh);
      expect(evaluator.evaluatePrior('ce-pc', trainCounts, target)).toEqual(fresh);
      const ref = referenceMetrics(logits, labels, c, bias, target);
      expect(Array.from(evaluator.predict(bias))).toEqual(Array.from(ref.predictions));
      expect(again.expectedAccuracy).toBeCloseTo(ref.expectedAccuracy, 12);
      expect(again.nll).toBeCloseTo(ref.nll, 6);
      expect(again.brier).toBeCloseTo(ref.brier, 7);
    }
  });

  it('compensation moves accuracy the way the paper says: it matters most when the prior is reversed', () => {
    // Logits of a model trained with plain CE on a long tail: the head classes get a bonus.
    const biased = logits.map((z, j) => z + Math.log(trainCounts[j % c] / 500));
    const model = new WhatIfEvaluator({ logits: biased, labels, numClasses: c });
    const backward = shiftedPrior(trainCounts, 100, 'backward', 50);
    const plain = model.evaluate(undefined, { targetPrior: backward }).expectedAccuracy;
    const pc = model.evaluatePrior('ce-pc', trainCounts, backward).expectedAccuracy;
    expect(pc).toBeGreaterThan(plain + 0.1);
  });

  it('recomputes rows exactly where the bias overwhelms the float32 cache', () => {
    const small = Float32Array.from([0, 80, 1, 0, 85, 2]);
    const y = Int32Array.from([2, 0]);
    const bias = [0, -Infinity, -70]; // products of the cache underflow below 1e-25
    const m = new WhatIfEvaluator({ logits: small, labels: y, numClasses: 3 }).evaluate(bias);
    const ref = referenceMetrics(small, y, 3, bias);
    expect(Array.from(new WhatIfEvaluator({ logits: small, labels: y, numClasses: 3 }).predict(bias))).toEqual([0, 0]);
    expect(m.nll).toBeCloseTo(ref.nll, 9);
    expect(m.brier).toBeCloseTo(ref.brier, 9);
  });

  it('evaluates a row subset as if the subset were the whole set', () => {
    const rows = Int32Array.from({ length: 100 }, (_, i) => 3 * i + 1);
    const sub = evaluator.evaluate(undefined, { rows });
    const z = new Float32Array(rows.length * c);
    rows.forEach((i, r) => z.set(logits.subarray(i * c, (i + 1) * c), r * c));
    const alone = evaluateLogits({ logits: z, labels: Int32Array.from(rows, (i) => labels[i]), numClasses: c, trainCounts });
    expect(sub).toEqual(alone);
    expect(() => evaluator.evaluate(undefined, { rows: Int32Array.from([500]) })).toThrow('row index 500 is outside 0..499');
  });

  it('bundles for a browser web worker (no node imports in metrics or priors)', async () => {
    const out = await esbuild.build({
      entryPoints: ['src/core/metrics/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(out.errors).toEqual([]);
    const code = out.outputFiles[0].text;
    expect(code).toContain('WhatIfEvaluator');
    expect(code).not.toMatch(/require\(|from "node:|@tensorflow/);
  });
});
