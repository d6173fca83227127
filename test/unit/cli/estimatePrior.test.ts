// lade estimate-prior end to end on a fabricated run: a linear model that calls bright images class 1 and
// dark ones class 0, its validation logits, and a folder of PNGs with a known class mix.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/command';
import { run } from '../../../src/cli/estimatePrior';
import { saveModel } from '../../../src/core/train';

const SIZE = 4;
let dir: string;
let runDir: string;
let images: string;

function png(value: number): Buffer {
  const img = new PNG({ width: SIZE, height: SIZE });
  img.data.fill(value);
  for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
  return PNG.sync.write(img);
}

/** The model's logits for a uniform image: x = (v / 255 - 0.5) / 0.25 per pixel, class 1 = 0.1 * sum(x). */
function logitsFor(value: number): [number, number] {
  const s = 0.1 * SIZE * SIZE * ((value / 255 - 0.5) / 0.25);
  return [-s, s];
}

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { out: (t) => void (out += t), err: () => undefined, interactive: false };
  const code = await run(argv, io);
  return { code, out };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(os.tmpdir(), 'lade-estimate-'));
  runDir = path.join(dir, 'run');
  images = path.join(dir, 'deploy');
  mkdirSync(path.join(images, 'nested'), { recursive: true });
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [SIZE, SIZE, 1] }), tf.layers.dense({ units: 2, useBias: false })],
  });
  model.layers[1]!.setWeights([tf.tensor2d(Array.from({ length: SIZE * SIZE }, () => [-0.1, 0.1]))]);
  await saveModel(model, path.join(runDir, 'model'));
  // Validation: 20 dark-ish and 20 bright-ish images with a little spread.
  const valValues = [...Array.from({ length: 20 }, (_, i) => 60 + i), ...Array.from({ length: 20 }, (_, i) => 180 + i)];
  const valLogits = Float32Array.from(valValues.flatMap(logitsFor));
  const valLabels = Int32Array.from(valValues, (v) => (v > 127 ? 1 : 0));
  writeFileSync(path.join(runDir, 'logits-val.bin'), new Uint8Array(valLogits.buffer));
  writeFileSync(path.join(runDir, 'labels-val.bin'), new Uint8Array(valLabels.buffer));
  const record = {
    version: 1,
    name: 'fixture',
    status: 'completed',
    config: { loss: 'ce' },
    classes: ['dark', 'bright'],
    trainCounts: [50, 50],
    sourcePrior: [0.5, 0.5],
    input: { size: SIZE, channels: 1, mean: 0.5, std: 0.25 },
    evalSplits: [{ name: 'val', count: 40 }],
  };
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(record));
  // Deployment: 10 dark and 30 bright images (one level down for the bright ones), plus a broken file.
  for (let i = 0; i < 10; i++) writeFileSync(path.join(images, `d${i}.png`), png(70 + i));
  for (let i = 0; i < 30; i++) writeFileSync(path.join(images, 'nested', `b${i}.png`), png(185 + i));
  writeFileSync(path.join(images, 'broken.png'), 'not a png');
  writeFileSync(path.join(images, 'notes.txt'), 'ignored');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lade estimate-prior', () => {
  it('estimates the class mix of an image folder and reports it as JSON', async () => {
    const { code, out } = await capture([runDir, images, '--json', '--backend', 'cpu', '--bootstrap', '20']);
    expect(code).toBe(0);
    const r = JSON.parse(out) as { images: number; skipped: string[]; classes: string[]; prior: number[]; intervals: { lo: number[]; hi: number[] } };
    expect(r.images).toBe(40);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatch(/broken\.png/);
    expect(r.classes).toEqual(['dark', 'bright']);
    expect(r.prior[0]).toBeCloseTo(0.25, 2);
    expect(r.prior[1]).toBeCloseTo(0.75, 2);
    expect(r.intervals.lo[1]).toBeLessThanOrEqual(r.prior[1]!);
    expect(r.intervals.hi[1]).toBeGreaterThanOrEqual(r.prior[1]!);
  });

  it('prints a table and writes a prior file', async () => {
    const file = path.join(dir, 'deploy-estimate.json');
    const { code, out } = await capture([runDir, images, '--backend', 'cpu', '--bootstrap', '0', '--method', 'bbse', '--out', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/Estimated deployment prior of 40 images/);
    expect(out).toMatch(/bright\s+50\.0%\s+75\.0%/);
    expect(out).toMatch(/1 image\(s\) could not be decoded/);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { format: string; shares: Record<string, number>; origin: string };
    expect(saved.format).toBe('lade-prior');
    expect(saved.shares.bright).toBeCloseTo(0.75, 10);
    expect(saved.origin).toMatch(/estimated \(bbse\) from 40 images/);
  });

  it('rejects bad arguments with a usage message', async () => {
    await expect(capture([runDir])).rejects.toThrow(/expected a run folder and an image folder, got 1/);
    await expect(capture([runDir, images, '--method', 'mle'])).rejects.toThrow(/--method must be one of em-bcts, em, bbse/);
    await expect(capture([runDir, path.join(dir, 'missing')])).rejects.toThrow(/cannot read folder/);
    await expect(capture([path.join(dir, 'nope'), images])).rejects.toThrow(/Cannot read run/);
    await expect(capture([runDir, images, '--backend', 'cpu', '--bootstrap', '1.5'])).rejects.toThrow(/bootstrap must be a non-negative integer/);
  });
});
