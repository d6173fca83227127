// The broadcasting batch-norm gradient must equal autodiff through the same formula written in primitive ops.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/tf/backend';

beforeAll(async () => {
  await initBackend('wasm');
});

it('batch-norm gradients (x, gamma, beta, through the batch moments) match the primitive-op reference', () => {
  const x = tf.randomNormal([4, 3, 3, 5], 0, 1, 'float32', 11);
  const gamma = tf.randomNormal([5], 1, 0.2, 'float32', 12);
  const beta = tf.randomNormal([5], 0, 0.2, 'float32', 13);
  const w = tf.randomNormal([4, 3, 3, 5], 0, 1, 'float32', 14);
  const loss = (fused: boolean) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
    const { mean, variance } = tf.moments(a, [0, 1, 2]);
    const y = fused
      ? tf.batchNorm(a as tf.Tensor4D, mean, variance, b, g, 1e-3)
      : tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-3))), g), b);
    return tf.sum(tf.mul(y, w)) as tf.Scalar;
  };
  const ours = tf.grads(loss(true))([x, gamma, beta]);
  const ref = tf.grads(loss(false))([x, gamma, beta]);
  for (let i = 0; i < 3; i++) {
    const d = tf.max(tf.abs(tf.sub(ours[i], ref[i]))).dataSync()[0];
    expect(d).toBeLessThan(1e-4);
  }
  // The gradient is not trivially zero.
  expect(tf.max(tf.abs(ours[0])).dataSync()[0]).toBeGreaterThan(1e-3);
});
