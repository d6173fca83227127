// Post-compensation end to end in a real VS Code: train a LADE run and its CE baseline on a generated
// long-tailed dataset, open "LADE: Show Metrics", pick backward-10 in the prior editor, see PC Softmax and
// LADE beat plain Softmax, export the adjusted model and check that its predictions are the adjusted ones;
// then export the other run through "LADE: Export Adjusted Model" from the palette.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/core/tf/backend';
import { decodeImage, resizeInto } from '../../src/core/train/images';
import { loadModel } from '../../src/core/train/modelFiles';
import { trainRun } from '../../src/core/train/trainRun';
import type { TrainedRunRecord } from '../../src/protocol/training';
import { errorMessages, firstVisible, frameWith } from './harness/workbench';
import { useWorkbench } from './harness/session';

const CLASSES = ['ant', 'bee', 'cow', 'doe'];
const TRAIN = [240, 60, 16, 6];
const TEST = 30;

/** Seeded uniform numbers (the dataset must be the same on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** 8x8 images whose mean colour says the class, buried in noise so that the classes overlap. */
function writeDataset(root: string): void {
  const rand = rng(11);
  const means = [
    [90, 120, 120],
    [150, 120, 120],
    [120, 90, 120],
    [120, 150, 120],
  ];
  for (const [split, counts] of [
    ['train', TRAIN],
    ['test', CLASSES.map(() => TEST)],
  ] as const) {
    CLASSES.forEach((name, c) => {
      const dir = path.join(root, split, name);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < (counts[c] as number); i++) {
        const img = new PNG({ width: 8, height: 8 });
        const shift = (rand() - 0.5) * 140; // per-image offset: the overlap
        for (let p = 0; p < img.data.length; p += 4) {
          for (let k = 0; k < 3; k++) img.data[p + k] = Math.max(0, Math.min(255, Math.round((means[c]?.[k] ?? 0) + shift + (rand() - 0.5) * 60)));
          img.data[p + 3] = 255;
        }
        writeFileSync(path.join(dir, `img-${String(i).padStart(3, '0')}.png`), PNG.sync.write(img));
      }
    });
  }
}

describe('Metrics panel and prior editor in VS Code', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-metrics-'));
  const workspaceDir = path.join(scratch, 'ws');
  const runs: Record<string, TrainedRunRecord> = {};

  beforeAll(async () => {
    writeDataset(path.join(workspaceDir, 'data'));
    for (const loss of ['lade', 'ce'] as const) {
      runs[loss] = await trainRun({
        dataDir: path.join(workspaceDir, 'data'),
        outDir: path.join(workspaceDir, '.lade', 'runs', `${loss}-1`),
        loss,
        model: 'cnn',
        size: 8,
        epochs: 6,
        batchSize: 32,
        lr: 0.05,
        augment: false,
        backend: 'wasm',
        valFraction: 0,
        seed: 1,
      });
    }
  }, 600_000);

  const vs = useWorkbench({ workspace: () => workspaceDir });

  it('backward-10 from the prior editor: PC Softmax and LADE beat Softmax; the exported model predicts as adjusted', async () => {
    await vs.runCommand('LADE: Show Metrics');
    // Both runs are offered, the LADE run and its CE baseline preselected: accept.
    await vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'ce-1' }).waitFor({ timeout: 30_000 });
    await vs.page.keyboard.press('Enter');
    const panel = await frameWith(vs.page, '[data-testid=results]', 60_000);

    await vs.page.locator('.activitybar [aria-label="LADE"]').first().click();
    const editor = await frameWith(vs.page, '[data-testid=class-list]', 60_000);
    await editor.getByLabel('Shift ratio r').fill('10');
    await editor.getByRole('button', { name: 'Backward' }).click();

    const results = panel.locator('[data-testid=results][data-label="backward-10"][data-complete]');
    const shown = await firstVisible([results, panel.locator('[data-testid=error]'), errorMessages(vs.page)], 120_000);
    if (shown !== 0) throw new Error(`No metrics for backward-10. Panel: ${(await panel.locator('body').innerText()).slice(0, 800)}`);
    const accuracy = async (method: string) => Number(await results.locator(`td[data-method="${method}"][data-metric=expectedAccuracy]`).getAttribute('data-value'));
    const softmax = await accuracy('ce-1:softmax');
    const pc = await accuracy('ce-1:pc_softmax');
    const lade = await accuracy('lade-1:lade');
    expect(pc, 'PC Softmax vs Softmax under backward-10').toBeGreaterThan(softmax);
    expect(lade, 'LADE vs Softmax under backward-10').toBeGreaterThan(softmax);

    // The CE baseline: its adjustment (PC Softmax) changes predictions, so the check below has teeth.
    await panel.getByRole('button', { name: 'Export ce-1 adjusted…' }).click();
    const out = path.join(workspaceDir, '.lade', 'exports', 'ce-1-backward-10');
    await expect.poll(() => existsSync(path.join(out, 'adjustment.json')), { timeout: 120_000 }).toBe(true);
    const adj = JSON.parse(readFileSync(path.join(out, 'adjustment.json'), 'utf8')) as { bias: number[] };

    // The adjusted predictions on the evaluation split, from the cached logits: argmax(z + bias) per class.
    const runDir = path.join(workspaceDir, '.lade', 'runs', 'ce-1');
    const C = CLASSES.length;
    const bytes = (file: string) => {
      const b = readFileSync(path.join(runDir, file));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    };
    const logits = new Float32Array(bytes('logits-test.bin'));
    const labels = new Int32Array(bytes('labels-test.bin'));
    const argmax = (row: ArrayLike<number>) => {
      let best = 0;
      for (let k = 1; k < row.length; k++) if ((row[k] as number) > (row[best] as number)) best = k;
      return best;
    };
    const histogram = () => CLASSES.map(() => new Array<number>(C).fill(0));
    const expected = histogram();
    const unadjusted = histogram();
    labels.forEach((y, i) => {
      const z = logits.subarray(i * C, (i + 1) * C);
      expected[y]![argmax(Array.from(z, (v, k) => v + adj.bias[k]!))]!++;
      unadjusted[y]![argmax(z)]!++;
    });
    expect(expected, 'the adjustment changes some predictions').not.toEqual(unadjusted);

    // The exported model over the same images, prepared as the trainer does (size, channels, mean/std).
    await initBackend('wasm');
    const model = await loadModel(path.join(out, 'model.json'));
    const { size, channels, mean, std } = runs.ce!.input;
    const got = histogram();
    const pixels = new Uint8Array(size * size * channels);
    CLASSES.forEach((name, y) => {
      const dir = path.join(workspaceDir, 'data', 'test', name);
      for (const f of readdirSync(dir)) {
        resizeInto(decodeImage(readFileSync(path.join(dir, f)), f), size, channels as 1 | 3, pixels);
        // A TF.js-trained run records one mean and std for every channel.
        const x = Float32Array.from(pixels, (v) => (v / 255 - Number(mean)) / Number(std));
        const z = tf.tidy(() => (model.predict(tf.tensor4d(x, [1, size, size, channels])) as tf.Tensor).dataSync());
        got[y]![argmax(z)]!++;
      }
    });
    model.dispose();
    expect(got, 'predictions of the exported model per true class').toEqual(expected);

    // The same export from the command palette: with two runs in the panel it asks which one.
    await vs.runCommand('LADE: Export Adjusted Model');
    await vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'lade-1' }).click({ timeout: 30_000 });
    const ladeOut = path.join(workspaceDir, '.lade', 'exports', 'lade-1-backward-10');
    await expect.poll(() => existsSync(path.join(ladeOut, 'adjustment.json')), { timeout: 120_000 }).toBe(true);
    const ladeAdj = JSON.parse(readFileSync(path.join(ladeOut, 'adjustment.json'), 'utf8')) as { run: string; lossKind: string; prior: string };
    expect(ladeAdj).toMatchObject({ run: 'lade-1', lossKind: 'lade', prior: 'backward-10' });
    expect(existsSync(path.join(ladeOut, 'model.json'))).toBe(true);
  }, 300_000);
});
