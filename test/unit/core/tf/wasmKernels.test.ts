// The composed wasm training kernels must reproduce the cpu backend's numbers.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/tf/backend';
import { expectClose, onBackend, seeded } from '../../../support/tfCompare';

type Case = { x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' };
const cases: Case[] = [
  { x: [4, 8, 8, 3], f: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { x: [3, 9, 7, 2], f: [3, 3, 2, 4], stride: 2, pad: 'same' },
  { x: [2, 8, 8, 4], f: [3, 3, 4, 6], stride: 2, pad: 'same' },
  { x: [2, 7, 7, 3], f: [2, 2, 3, 2], stride: 2, pad: 'valid' },
  { x: [2, 8, 8, 4], f: [1, 1, 4, 8], stride: 2, pad: 'same' },
  { x: [5, 6, 6, 1], f: [5, 5, 1, 3], stride: 1, pad: 'valid' },
];

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const c of cases) {
    const label = `x ${c.x.join('x')} filter ${c.f.join('x')} stride ${c.stride} ${c.pad}`;
    it(`conv2d gradients match cpu: ${label}`, async () => {
      const xv = seeded(c.x, 1);
      const fv = seeded(c.f, 2);
      const grads = (): tf.Tensor => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const f = tf.tensor4d(fv, c.f as [number, number, number, number]);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad).square().sum(),
        )([x, f]);
        const out = tf.concat([g[0].flatten(), g[1].flatten()]);
        tf.dispose([x, f, ...g]);
        return out;
      };
      const cpu = await onBackend('cpu', grads);
      const wasm = await onBackend('wasm', grads);
      expectClose(wasm, cpu);
    });
  }

  it('gather gradient (UnsortedSegmentSum) matches cpu, dropping nothing and summing repeats', async () => {
    const pv = seeded([6, 4], 3);
    const f = (): tf.Tensor => {
      const p = tf.tensor2d(pv, [6, 4]);
      const idx = tf.tensor1d([0, 2, 2, 5, 1, 2], 'int32');
      const [g] = tf.grads((a: tf.Tensor) => tf.gather(a, idx).mul(tf.range(1, 25).reshape([6, 4])).sum())([p]);
      tf.dispose([p, idx]);
      return g;
    };
    const cpu = await onBackend('cpu', f);
    const wasm = await onBackend('wasm', f);
    expectClose(wasm, cpu, 1e-6);
    // Row 2 was gathered three times: its gradient is the sum of the three upstream rows.
    expect(wasm[2 * 4]).toBeCloseTo(5 + 9 + 21, 4);
  });

  it('dense-layer gradients (transposed matmuls) and leading-axis sums match cpu', async () => {
    const xv = seeded([6, 5], 4);
    const wv = seeded([5, 3], 5);
    const f = (): tf.Tensor => {
      const x = tf.tensor2d(xv, [6, 5]);
      const w = tf.tensor2d(wv, [5, 3]);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D).square().sum())([x, w]);
      const t = tf.matMul(x, x, true, false); // 5x5, transposeA
      const u = tf.matMul(x, w.transpose(), false, true); // 6x5, transposeB
      const s = tf.sum(tf.tensor4d(seeded([2, 3, 4, 5], 6), [2, 3, 4, 5]), [0, 1, 2]);
      const k = tf.sum(tf.tensor3d(seeded([2, 3, 4], 7), [2, 3, 4]), [1, 0], true);
      const out = tf.concat([g[0].flatten(), g[1].flatten(), t.flatten(), u.flatten(), s, k.flatten()]);
      expect(k.shape).toEqual([1, 1, 4]);
      tf.dispose([x, w, ...g, t, u, s, k]);
      return out;
    };
    const cpu = await onBackend('cpu', f);
    const wasm = await onBackend('wasm', f);
    expectClose(wasm, cpu, 1e-5);
  });

  it('means over leading axes (batch moments) match cpu, with and without keepDims', async () => {
    const f = (): tf.Tensor => {
      const x = tf.tensor4d(seeded([3, 5, 4, 6], 9), [3, 5, 4, 6]);
      const { mean, variance } = tf.moments(x, [0, 1, 2], true);
      const m = tf.mean(tf.tensor3d(seeded([4, 3, 2], 10), [4, 3, 2]), [0]);
      expect(mean.shape).toEqual([1, 1, 1, 6]);
      const out = tf.concat([mean.flatten(), variance.flatten(), m.flatten()]);
      tf.dispose([x, mean, variance, m]);
      return out;
    };
    const cpu = await onBackend('cpu', f);
    const wasm = await onBackend('wasm', f);
    expectClose(wasm, cpu, 1e-6);
  });

  for (const [shape, k] of [
    [[2, 8, 8, 3], 2],
    [[1, 9, 6, 2], 3],
    [[2, 7, 7, 2], 2],
  ] as const) {
    it(`max-pool gradient matches cpu, first maximum on ties: ${shape.join('x')} pool ${k}`, async () => {
      // Quantised values make ties common, so the tie-break is exercised.
      const xv = seeded([...shape], 8).map((v) => Math.round(v * 4) / 4);
      const f = (): tf.Tensor => {
        const x = tf.tensor4d(xv, [...shape] as [number, number, number, number]);
        const [g] = tf.grads((a: tf.Tensor) =>
          tf.maxPool(a as tf.Tensor4D, k, k, 'valid').mul(tf.range(1, 1 + tf.maxPool(x, k, k, 'valid').size).reshape(tf.maxPool(x, k, k, 'valid').shape)).sum(),
        )([x]);
        x.dispose();
        return g;
      };
      const cpu = await onBackend('cpu', f);
      const wasm = await onBackend('wasm', f);
      expectClose(wasm, cpu, 1e-6);
    });
  }

  it('clones share data: a clone outlives its source, and the buffer goes when the last of them does', async () => {
    await initBackend('wasm');
    const buffers = tf.memory().numDataBuffers;
    const bytes = tf.memory().numBytes;
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const b = a.clone();
    expect(b.dataId).toBe(a.dataId);
    expect(tf.memory().numDataBuffers).toBe(buffers + 1); // one buffer, not two
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3, 4]);
    const c = tf.add(b, 1);
    b.dispose();
    expect(Array.from(await c.data())).toEqual([2, 3, 4, 5]);
    c.dispose();
    expect([tf.memory().numDataBuffers, tf.memory().numBytes]).toEqual([buffers, bytes]);
  });

  it('leaks no tensors through the composed kernels', async () => {
    await initBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 3]);
    const f = tf.randomNormal([3, 3, 3, 4]);
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').sum())([x, f]);
    tf.dispose([...g, tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1], true)]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytesBefore);
    tf.dispose([x, f]);
  });
});
