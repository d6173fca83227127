// The per-channel wasm kernels (1x1 depthwise convolutions) must give the cpu backend's numbers for every
// operand order and shape they take, hand every other shape to the stock kernel, and leak nothing.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/tf/backend';
import { expectClose, onBackend, seeded } from '../../../support/tfCompare';

const X = [3, 5, 4, 6] as const;

function both(f: () => tf.Tensor, tol = 1e-6): Promise<void> {
  return (async () => expectClose(await onBackend('wasm', f), await onBackend('cpu', f), tol))();
}

describe('per-channel wasm kernels', () => {
  it('x * v, v * x, x + v, v + x, x - v and v - x match cpu for v of shape [C] and [1, 1, 1, C]', async () => {
    await both(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(seeded([...X], 1), [...X]);
        const v = tf.tensor1d(seeded([6], 2));
        // Created with rank 4 and rank 2 (not reshaped from v, which would share v's rank-1 data).
        const v4 = tf.tensor4d(seeded([6], 2), [1, 1, 1, 6]);
        const rows = tf.tensor2d(seeded([30], 3), [5, 6]);
        const v2 = tf.tensor2d(seeded([6], 4), [1, 6]);
        const outs = [tf.mul(x, v), tf.mul(v4, x), tf.add(x, v4), tf.add(v, x), tf.sub(x, v4), tf.sub(v4, x), tf.sub(v, x)];
        for (const o of outs) expect(o.shape).toEqual([...X]);
        const dense = [tf.add(rows, v2), tf.sub(rows, v2), tf.mul(v2, rows)];
        return tf.concat([...outs, ...dense].map((o) => o.flatten()));
      }),
    );
  });

  it('leaves other broadcasts, same shapes and int32 to the stock kernels, with their results', async () => {
    await both(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(seeded([...X], 3), [...X]);
        const rowWise = tf.tensor4d(seeded([3, 1, 1, 1], 4), [3, 1, 1, 1]);
        const ints = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32').mul(tf.tensor1d([3, 5], 'int32')).cast('float32');
        return tf.concat([tf.mul(x, rowWise).flatten(), tf.sub(x, x.square()).flatten(), tf.add(x, 2).flatten(), ints.flatten()]);
      }),
    );
  });

  it('batch norm matches cpu with and without scale and offset, and keeps digits when the mean is large', async () => {
    await both(() =>
      tf.tidy(() => {
        // Channel means of 1,000 with a spread of 1: x * a + b would cancel three digits of float32.
        // The moments are given (computed here in float64), so only the kernel is compared.
        const values = seeded([...X], 5).map((v) => v + 1000);
        const x = tf.tensor4d(values, [...X]);
        const m = new Float64Array(6);
        const q = new Float64Array(6);
        values.forEach((v, i) => void (m[i % 6] += v / 60));
        values.forEach((v, i) => void (q[i % 6] += (v - m[i % 6]!) ** 2 / 60));
        const mean = tf.tensor1d(Float32Array.from(m));
        const variance = tf.tensor1d(Float32Array.from(q));
        const scale = tf.tensor1d(seeded([6], 6)).add(1);
        const offset = tf.tensor1d(seeded([6], 7));
        const full = tf.batchNorm(x, mean, variance, offset, scale, 1e-3);
        const bare = tf.batchNorm(x, mean, variance);
        const rank2 = tf.batchNorm(x.reshape([60, 6]), mean, variance, offset, scale, 1e-5);
        return tf.concat([full.flatten(), bare.flatten(), rank2.flatten()]);
      }),
      2e-5,
    );
  });

  it('a batch-norm layer trains to the same gradients as on cpu', async () => {
    await both(() =>
      tf.tidy(() => {
        const layer = tf.layers.batchNormalization({ axis: -1 });
        const x = tf.tensor4d(seeded([...X], 8), [...X]);
        layer.build(x.shape);
        const w = tf.tensor4d(seeded([...X], 9), [...X]);
        const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => (layer.apply(x, { training: true }) as tf.Tensor).mul(w).sum() as tf.Scalar, vars);
        const dx = tf.grad((input: tf.Tensor) => (layer.apply(input, { training: true }) as tf.Tensor).mul(w).sum())(x);
        return tf.concat([...vars.map((v) => grads[v.name]!.flatten()), dx.flatten()]);
      }),
      1e-4,
    );
  });

  it('leaks no tensors', async () => {
    await initBackend('wasm');
    const x = tf.randomNormal([2, 3, 3, 4]);
    const v = tf.randomNormal([4]);
    const positive = v.abs();
    const before = tf.memory().numBytes;
    tf.dispose([tf.mul(x, v), tf.add(v, x), tf.sub(x, v), tf.sub(v, x), tf.batchNorm(x, v, positive, v, v, 0.01), tf.batchNorm(x, v, positive)]);
    expect(tf.memory().numBytes).toBe(before);
    tf.dispose([x, v, positive]);
  });
});
