// End-to-end behaviour of a training run on a tiny dataset: the run folder's contents, repeatability
// from a seed, and cancel + resume reproducing the uninterrupted run exactly.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../../src/core/train/checkpoint';
import { loadModel } from '../../../../src/core/train/modelFiles';
import { trainRun } from '../../../../src/core/train/trainRun';
import { readRun, type TrainedRunRecord } from '../../../../src/core/runs';
import { makeTinyDataset, type TinyDataset } from './fixtures';

const tmpRun = (): string => mkdtempSync(path.join(os.tmpdir(), 'lade-run-'));
const base = { epochs: 3, batchSize: 8, size: 8, lr: 0.05, backend: 'wasm' as const };

function weightsOf(run: string): Buffer {
  return readFileSync(path.join(run, 'model', 'weights.bin'));
}

describe('trainRun', () => {
  let ds: TinyDataset;
  let first: { dir: string; record: TrainedRunRecord };
  beforeAll(async () => {
    ds = makeTinyDataset();
    const dir = tmpRun();
    first = { dir, record: await trainRun({ ...base, dataDir: ds.root, outDir: dir, seed: 3 }) };
  });

  it('writes run.json, the model, logits and labels for the evaluation splits', async () => {
    const { dir, record } = first;
    const onDisk = readRun(dir).record;
    expect(onDisk.status).toBe('completed');
    expect(onDisk.classes).toEqual(['class0', 'class1', 'class2']);
    // 10% of each class held out for validation, at least one: 24 -> 22, 12 -> 11, 6 -> 5.
    expect(onDisk.trainCounts).toEqual([22, 11, 5]);
    expect(onDisk.sourcePrior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(onDisk.backend?.name).toBe('wasm');
    expect(onDisk).toMatchObject({ version: 2, loss: 'lade', origin: { kind: 'trained', engine: 'tfjs', processes: 1 } });
    expect(onDisk.history).toHaveLength(3);
    expect(onDisk.input).toMatchObject({ size: 8, channels: 1 });
    expect(record.evalSplits).toEqual([
      { name: 'val', count: 4 }, // 2 + 1 + 1: every class of two or more gives at least one
      { name: 'test', count: 12 },
    ]);
    expect(statSync(path.join(dir, 'logits-test.bin')).size).toBe(12 * 3 * 4);
    const raw = readFileSync(path.join(dir, 'labels-test.bin'));
    const labels = new Int32Array(raw.buffer, raw.byteOffset, raw.length / 4);
    expect(Array.from(labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    const model = await loadModel(path.join(dir, 'model', 'model.json'));
    expect(model.outputs[0].shape).toEqual([null, 3]);
    model.dispose();
    expect(readCheckpoint(dir)?.epoch).toBe(3);
  });

  it('repeats a run bit for bit from the same seed, and differs with another seed', async () => {
    const again = tmpRun();
    await trainRun({ ...base, dataDir: ds.root, outDir: again, seed: 3 });
    expect(weightsOf(again).equals(weightsOf(first.dir))).toBe(true);
    const other = tmpRun();
    await trainRun({ ...base, dataDir: ds.root, outDir: other, seed: 4 });
    expect(weightsOf(other).equals(weightsOf(first.dir))).toBe(false);
  });

  it('cancels at a step boundary with a checkpoint, and resume finishes exactly as the uninterrupted run', async () => {
    const dir = tmpRun();
    const controller = new AbortController();
    const cancelled = await trainRun(
      { ...base, dataDir: ds.root, outDir: dir, seed: 3 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'train' && p.epoch === 2 && p.step >= 1) controller.abort();
        },
      },
    );
    expect(cancelled.status).toBe('cancelled');
    expect(existsSync(path.join(dir, 'model'))).toBe(false);
    const ckpt = readCheckpoint(dir)!;
    expect(ckpt.epoch).toBe(1);
    expect(ckpt.stepInEpoch).toBeGreaterThan(0);
    const live: number[] = [];
    const resumed = await trainRun({ ...base, dataDir: ds.root, outDir: dir, seed: 3, resume: true }, { onEpoch: (e) => live.push(e.epoch) });
    expect(resumed.status).toBe('completed');
    // The restored epoch is reported first, then the new ones: one continuous history for live views.
    expect(live).toEqual(resumed.history.map((h) => h.epoch));
    expect(resumed.history.map((h) => h.loss)).toEqual(first.record.history.map((h) => h.loss));
    expect(weightsOf(dir).equals(weightsOf(first.dir))).toBe(true);
  });

  it('a cancel during decoding ends as a cancelled run with no partial cache left behind', async () => {
    const dir = tmpRun();
    const controller = new AbortController();
    controller.abort();
    const rec = await trainRun({ ...base, dataDir: ds.root, outDir: dir }, { signal: controller.signal });
    expect(rec.status).toBe('cancelled');
    expect(rec.history).toEqual([]);
    expect(readdirSync(path.join(dir, 'cache'))).toEqual([]);
    expect(readRun(dir).record.status).toBe('cancelled');
  });

  it('refuses to resume without a checkpoint or with other settings, naming each', async () => {
    await expect(trainRun({ ...base, dataDir: ds.root, outDir: tmpRun(), resume: true })).rejects.toThrow(/no checkpoint/);
    await expect(
      trainRun({ ...base, dataDir: ds.root, outDir: first.dir, resume: true, model: 'resnet20', width: 4 }),
    ).rejects.toThrow(/other settings: --model "resnet20" \(the run has "cnn"\), --width 4 \(the run has 16\)/);
  });

  it('trains ResNet-20 with Adam and Balanced Softmax, learning the easy task', async () => {
    const dir = tmpRun();
    const rec = await trainRun({
      ...base,
      dataDir: ds.root,
      outDir: dir,
      model: 'resnet20',
      width: 4,
      optimizer: 'adam',
      lr: 0.01,
      loss: 'bs',
      epochs: 6,
      augment: false,
    });
    expect(rec.history[5].loss).toBeLessThan(rec.history[0].loss);
    expect(rec.finalAccuracy.test).toBeGreaterThan(50);
  });

  it('retunes only the head on cached features of a finished run', async () => {
    const dir = tmpRun();
    const rec = await trainRun({
      ...base,
      dataDir: ds.root,
      outDir: dir,
      loss: 'lade',
      finetune: { modelJson: path.join(first.dir, 'model', 'model.json'), freezeBackbone: true },
      retuneHead: true,
      epochs: 2,
    });
    expect(rec.status).toBe('completed');
    const before = await loadModel(path.join(first.dir, 'model', 'model.json'));
    const after = await loadModel(path.join(dir, 'model', 'model.json'));
    const byName = (m: typeof before): Map<string, number[]> =>
      new Map(m.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
    const w0 = byName(before);
    const w1 = byName(after);
    // Backbone identical, head retrained (the new head replaces 'logits').
    expect([...w1.keys()].sort()).toEqual([...w0.keys()].map((k) => k.replace(/^logits\//, 'logits_new/')).sort());
    for (const [name, values] of w0) if (!name.startsWith('logits/')) expect(w1.get(name)).toEqual(values);
    expect(w1.get('logits_new/kernel')).not.toEqual(w0.get('logits/kernel'));
    before.dispose();
    after.dispose();
    await expect(trainRun({ ...base, dataDir: ds.root, outDir: tmpRun(), retuneHead: true })).rejects.toThrow(/needs finetune/);
  });

  it('names the bad setting', async () => {
    await expect(trainRun({ ...base, dataDir: ds.root, outDir: tmpRun(), loss: 'focal' as 'ce' })).rejects.toThrow(/training setting --loss is "focal": use one of lade, ce, bs/);
    await expect(trainRun({ ...base, dataDir: '/nonexistent/x', outDir: tmpRun() })).rejects.toThrow(/nonexistent/);
  });
});
