// Two engines, half a batch each: for a per-sample loss (CE) and a model without batch statistics (the CNN),
// the size-weighted average of the halves' gradients is the full batch's gradient, so a 2-engine run must
// land on the weights of the 1-engine run up to float rounding.
import { bundleNode } from '../../../support/bundle';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { trainRun } from '../../../../src/core/train/trainRun';
import { makeTinyDataset, type TinyDataset } from './fixtures';

const tmp = (p: string): string => mkdtempSync(path.join(os.tmpdir(), p));
let replicaWorkerPath: string;
let ds: TinyDataset;

beforeAll(async () => {
  replicaWorkerPath = await bundleNode('src/core/train/replica.worker.ts', path.join(tmp('lade-replica-'), 'replica.worker.js'));
  ds = makeTinyDataset();
});

function weights(dir: string): Float32Array {
  const b = readFileSync(path.join(dir, 'model', 'weights.bin'));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

it('a 2-engine CE run matches the 1-engine run', async () => {
  const cfg = { dataDir: ds.root, epochs: 2, batchSize: 8, size: 8, lr: 0.05, loss: 'ce' as const, seed: 2, backend: 'wasm' as const };
  const one = tmp('lade-dp1-');
  const two = tmp('lade-dp2-');
  const logs: string[] = [];
  await trainRun({ ...cfg, outDir: one });
  const rec = await trainRun({ ...cfg, outDir: two, workers: 2 }, { replicaWorkerPath, onLog: (_, m) => logs.push(m) });
  expect(logs.some((m) => m.startsWith('data parallel'))).toBe(true);
  expect(rec.config.workers).toBe(2);
  const a = weights(one);
  const b = weights(two);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThan(1e-4);
  // And training moved the weights at all (the comparison is not between two untouched inits).
  expect(rec.history[1].loss).not.toBe(rec.history[0].loss);
});

it('refuses data parallelism for fine-tuning', async () => {
  await expect(
    trainRun({ dataDir: ds.root, outDir: tmp('lade-dp-'), workers: 2, finetune: { modelJson: 'x.json', freezeBackbone: false } }),
  ).rejects.toThrow(/from-scratch models only/);
});
