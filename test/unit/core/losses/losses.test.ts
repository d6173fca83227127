import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LADE_ALPHA,
  DEFAULT_LADE_LAMBDA,
  fusedLadeLoss,
  ladeCrossEntropy,
  ladeLoss,
  ladeLossWithGradients,
  ladeRegularizer,
  logitAdjustedCrossEntropy,
  softmaxCrossEntropy,
} from '../../../../src/core/losses';
import { priorBias } from '../../../../src/core/priors';
import { initBackend } from '../../../../src/core/tf/backend';
import { random } from '../metrics/reference';

function batch(n: number, c: number, seed: number, scale = 3): { z: tf.Tensor2D; y: tf.Tensor1D } {
  const rand = random(seed);
  const z = tf.tensor2d(Array.from({ length: n * c }, () => scale * (rand() - 0.5) * 2), [n, c]);
  // Labels from the first half of the classes only, so the other half is absent from the batch.
  const y = tf.tensor1d(Array.from({ length: n }, () => Math.floor(rand() * Math.max(1, Math.floor(c / 2)))), 'int32');
  return { z, y };
}

function scalar(t: tf.Tensor): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe.each(['wasm', 'cpu'] as const)('losses on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('plain softmax cross-entropy matches its definition', () => {
    const z = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    const y = tf.tensor1d([2, 1], 'int32');
    const lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    const expected = (lse0 - 3 + Math.log(3)) / 2;
    expect(scalar(softmaxCrossEntropy(z, y))).toBeCloseTo(expected, 5);
    tf.dispose([z, y]);
  });

  it('LADE-CE is plain CE under a uniform prior, and logit adjustment spans BS (tau 1) to CE (tau 0)', () => {
    const { z, y } = batch(12, 6, 1);
    const ps = [40, 20, 10, 5, 2, 1];
    const plain = scalar(softmaxCrossEntropy(z, y));
    expect(scalar(ladeCrossEntropy(z, y, [1, 1, 1, 1, 1, 1]))).toBeCloseTo(plain, 5);
    expect(scalar(logitAdjustedCrossEntropy(z, y, ps, 1))).toBeCloseTo(scalar(ladeCrossEntropy(z, y, ps)), 6);
    expect(scalar(logitAdjustedCrossEntropy(z, y, ps, 0))).toBeCloseTo(plain, 6);
    // A long-tailed prior changes the loss: the test can fail.
    expect(Math.abs(scalar(ladeCrossEntropy(z, y, ps)) - plain)).toBeGreaterThan(0.1);
    tf.dispose([z, y]);
  });

  it('the LADE total is CE + alpha REG with the default alpha 0.1 and lambda 0.01', () => {
    const { z, y } = batch(10, 5, 2);
    const ps = [50, 25, 12, 8, 5];
    const { total, ce, reg } = ladeLoss(z, y, ps);
    const regExplicit = scalar(ladeRegularizer(z, y, ps, DEFAULT_LADE_LAMBDA));
    expect(DEFAULT_LADE_ALPHA).toBe(0.1);
    expect(scalar(reg)).toBeCloseTo(regExplicit, 6);
    expect(scalar(total)).toBeCloseTo(scalar(ce) + 0.1 * regExplicit, 6);
    tf.dispose([z, y]);
  });

  it.each([
    ['absent classes', 16, 10, 3, 3],
    ['a single sample', 1, 5, 4, 3],
    ['one class', 6, 1, 5, 3],
    ['large logits', 12, 8, 6, 40],
  ])('the fused closed-form gradient agrees with autodiff (%s)', (_name, n, c, seed, scale) => {
    const { z, y } = batch(n, c, seed, scale);
    const ps = Array.from({ length: c }, (_, k) => 100 / (k + 1));
    const opts = { alpha: 0.3, lambda: 0.2 };
    const auto = tf.grad((x: tf.Tensor) => ladeLoss(x as tf.Tensor2D, y, ps, opts).total)(z);
    const fused = tf.grad((x: tf.Tensor) => fusedLadeLoss(x as tf.Tensor2D, y, ps, opts))(z);
    expect(Number.isFinite(scalar(tf.sum(tf.abs(auto))))).toBe(true);
    expect(maxAbsDiff(auto, fused)).toBeLessThan(1e-5 * Math.max(1, scale / 3));
    const parts = ladeLossWithGradients(z, y, ps, opts);
    const { total } = ladeLoss(z, y, ps, opts);
    expect(scalar(parts.total)).toBeCloseTo(scalar(total), 4);
    expect(scalar(fusedLadeLoss(z, y, ps, opts))).toBeCloseTo(scalar(parts.ce) + 0.3 * scalar(parts.reg), 4);
    tf.dispose([z, y, auto, fused, parts.gradCe, parts.gradReg, parts.gradTotal]);
  });

  it('frees every intermediate tensor, also under the custom gradient', () => {
    const { z, y } = batch(8, 4, 7);
    const before = tf.memory().numTensors;
    const grads = tf.grad((x: tf.Tensor) => fusedLadeLoss(x as tf.Tensor2D, y, [4, 3, 2, 1]))(z);
    grads.dispose();
    tf.dispose(ladeLoss(z, y, [4, 3, 2, 1]));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, y]);
  });

  it('a never-predict class (target prior 0, bias -Infinity) gets probability 0 from softmax, without NaN', () => {
    const bias = priorBias('ce-pc', [5, 3, 2], [0.5, 0, 0.5]);
    expect(bias[1]).toBe(-Infinity);
    const probs = tf.tidy(() => tf.softmax(tf.add(tf.tensor2d([[1, 50, 2], [-3, 0, 1e4]]), tf.tensor1d(Float32Array.from(bias)))));
    const p = Array.from(probs.dataSync());
    probs.dispose();
    expect(p.some(Number.isNaN)).toBe(false);
    expect(p[1]).toBe(0);
    expect(p[4]).toBe(0);
    expect(p[0] + p[2]).toBeCloseTo(1, 6);
  });

  it('rejects malformed inputs with messages naming the problem', () => {
    const z = tf.zeros([3, 2]) as tf.Tensor2D;
    const yFloat = tf.tensor1d([0, 1, 0]);
    const yShort = tf.tensor1d([0, 1], 'int32');
    expect(() => softmaxCrossEntropy(z, yFloat)).toThrow('labels must be int32 class indices, got float32');
    expect(() => ladeCrossEntropy(z, yShort, [1, 1])).toThrow('3 rows of logits but 2 labels');
    const y = tf.tensor1d([0, 1, 0], 'int32');
    expect(() => ladeLoss(z, y, [1, 1, 1])).toThrow('source prior: expected 2 values');
    expect(() => ladeLoss(z, y, [1, 1], { alpha: NaN })).toThrow('alpha must be a finite number');
    tf.dispose([z, yFloat, yShort, y]);
  });
});
