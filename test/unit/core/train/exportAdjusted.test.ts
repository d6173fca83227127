// The exported model's predictions equal the post-compensated predictions of the original model.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priorBias } from '../../../../src/core/priors';
import { buildPreset } from '../../../../src/core/priors/presets';
import { FEATURES, HEAD } from '../../../../src/core/train/models';
import { loadModel, saveModel } from '../../../../src/core/train/modelFiles';
import { adjustment, NEVER_PREDICT, type AdjustmentFile } from '../../../../src/core/priors/adjustment';
import { exportAdjustedModel } from '../../../../src/core/train/exportAdjusted';

const classes = ['a', 'b', 'c', 'd'];
const trainCounts = [400, 100, 20, 4];

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [5] });
  const features = tf.layers.dense({ units: 8, activation: 'relu', name: FEATURES }).apply(input);
  const out = tf.layers.dense({ units: 4, name: HEAD, biasInitializer: 'randomNormal' }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('export adjusted model', () => {
  let dir: string;
  let x: tf.Tensor2D;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(path.join(tmpdir(), 'lade-export-'));
    await saveModel(tinyModel(), path.join(dir, 'model'));
    x = tf.randomNormal([64, 5], 0, 2, 'float32', 3) as tf.Tensor2D;
  });
  afterAll(() => x.dispose());

  it.each(['lade', 'ce'] as const)('%s: adjusted model logits = original logits + bias, so predictions match', async (lossKind) => {
    const target = Array.from(buildPreset({ kind: 'backward', ratio: 10, perClassCount: 40 }, classes, trainCounts));
    const adj = adjustment({ name: 'run', lossKind, classes, trainCounts }, { label: 'backward-10', shares: target });
    const expectedBias = priorBias(lossKind === 'ce' ? 'ce-pc' : 'lade', trainCounts, target);
    adj.bias.forEach((b, i) => expect(b).toBeCloseTo(expectedBias[i]!, 12));

    const original = await loadModel(path.join(dir, 'model', 'model.json'));
    const out = path.join(dir, `out-${lossKind}`);
    (await exportAdjustedModel(path.join(dir, 'model', 'model.json'), adj, out)).dispose();
    const exported = await loadModel(path.join(out, 'model.json'));

    const before = (original.predict(x) as tf.Tensor2D).arraySync();
    const after = (exported.predict(x) as tf.Tensor2D).arraySync();
    const argmax = (row: number[]) => row.indexOf(Math.max(...row));
    after.forEach((row, i) => {
      row.forEach((v, k) => expect(v).toBeCloseTo(before[i]![k]! + adj.bias[k]!, 4));
      expect(argmax(row)).toBe(argmax(before[i]!.map((v, k) => v + adj.bias[k]!)));
    });
    // The bias flips some predictions towards the tail, or the check above proves nothing.
    expect(after.some((row, i) => argmax(row) !== argmax(before[i]!))).toBe(true);

    const json = JSON.parse(readFileSync(path.join(out, 'adjustment.json'), 'utf8')) as AdjustmentFile;
    expect(json.formula).toContain(lossKind === 'ce' ? 'logits - log(p_s) + log(p_t)' : 'logits + log(p_t)');
    expect(json.bias).toEqual(adj.bias);
    original.dispose();
    exported.dispose();
  });

  it('a class the target never sees gets a finite "never predict" bias', () => {
    const adj = adjustment({ name: 'run', lossKind: 'lade', classes, trainCounts }, { label: 'only-a-b', shares: [0.5, 0.5, 0, 0] });
    expect(adj.bias.slice(2)).toEqual([NEVER_PREDICT, NEVER_PREDICT]);
    expect(() => adjustment({ name: 'run', lossKind: 'ce', classes, trainCounts: [1, 1, 0, 1] }, { label: 'u', shares: [1, 1, 1, 1] })).toThrow(
      "PC Softmax: c has no training images",
    );
  });
});
