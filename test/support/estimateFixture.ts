// A fabricated finished run for the prior-estimation tests (CLI and extension): a linear model that calls
// bright images 'bright' and dark ones 'dark', its validation logits, and a folder of PNGs with a known
// 1:3 dark:bright mix.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { writeRun } from '../../src/core/runs';
import { saveModel } from '../../src/core/train';

const SIZE = 4;

function png(value: number): Buffer {
  const img = new PNG({ width: SIZE, height: SIZE });
  img.data.fill(value);
  for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
  return PNG.sync.write(img);
}

/** The model's logits for a uniform image: x = (v / 255 - 0.5) / 0.25 per pixel, bright = 0.1 * sum(x). */
export function logitsFor(value: number): [number, number] {
  const s = 0.1 * SIZE * SIZE * ((value / 255 - 0.5) / 0.25);
  return [-s, s];
}

export interface EstimateFixture {
  /** <root>/.lade/runs/fixture */
  readonly runDir: string;
  /** <root>/deploy: 10 dark and 30 bright images, one broken file. */
  readonly deploy: string;
}

export async function writeEstimateFixture(root: string): Promise<EstimateFixture> {
  await tf.setBackend('cpu');
  const runDir = path.join(root, '.lade', 'runs', 'fixture');
  const deploy = path.join(root, 'deploy');
  mkdirSync(path.join(deploy, 'nested'), { recursive: true });
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [SIZE, SIZE, 1] }), tf.layers.dense({ units: 2, useBias: false })] });
  model.layers[1]!.setWeights([tf.tensor2d(Array.from({ length: SIZE * SIZE }, () => [-0.1, 0.1]))]);
  await saveModel(model, path.join(runDir, 'model'));
  model.dispose();
  const valValues = [...Array.from({ length: 20 }, (_, i) => 60 + i), ...Array.from({ length: 20 }, (_, i) => 180 + i)];
  writeFileSync(path.join(runDir, 'logits-val.bin'), new Uint8Array(Float32Array.from(valValues.flatMap(logitsFor)).buffer));
  writeFileSync(path.join(runDir, 'labels-val.bin'), new Uint8Array(Int32Array.from(valValues, (v) => (v > 127 ? 1 : 0)).buffer));
  // A second labelled split, 10 dark and 50 bright, to calibrate on instead.
  const testValues = [...Array.from({ length: 10 }, (_, i) => 50 + i), ...Array.from({ length: 50 }, (_, i) => 170 + i)];
  writeFileSync(path.join(runDir, 'logits-test.bin'), new Uint8Array(Float32Array.from(testValues.flatMap(logitsFor)).buffer));
  writeFileSync(path.join(runDir, 'labels-test.bin'), new Uint8Array(Int32Array.from(testValues, (v) => (v > 127 ? 1 : 0)).buffer));
  writeRun(runDir, {
    version: 2,
    name: 'fixture',
    status: 'completed',
    loss: 'ce',
    origin: { kind: 'trained', engine: 'tfjs', processes: 1 },
    classes: ['dark', 'bright'],
    trainCounts: [50, 50],
    sourcePrior: [0.5, 0.5],
    input: { size: SIZE, channels: 1, mean: 0.5, std: 0.25 },
    evalSplits: [
      { name: 'test', count: 60 },
      { name: 'val', count: 40 },
    ],
    finalAccuracy: {},
    startedAt: '2026-12-06T11:00:00.000Z',
  });
  for (let i = 0; i < 10; i++) writeFileSync(path.join(deploy, `d${i}.png`), png(70 + i));
  for (let i = 0; i < 30; i++) writeFileSync(path.join(deploy, 'nested', `b${i}.png`), png(185 + i));
  writeFileSync(path.join(deploy, 'broken.png'), 'not a png');
  return { runDir, deploy };
}
