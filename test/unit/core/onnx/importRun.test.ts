// ONNX import on the committed fixtures (scripts/make-onnx-fixtures.py): onnxruntime's logits in the
// bundled worker must match the logits PyTorch computed for the same images, class order must be
// torchvision's ImageFolder order, and the run folder must hold what docs/run-format.md says.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, OnnxInputError } from '../../../../src/core/onnx/inferInWorker';
import { codePointOrder, importOnnxRun, type OnnxImportOptions } from '../../../../src/core/onnx/importRun';
import { bundleOnnxWorker } from '../../../support/bundle';

const FIXTURES = path.resolve('test/fixtures/onnx');
const DATA = path.join(FIXTURES, 'data');
interface TorchSplit {
  files: string[];
  logits: number[][];
}
const torch = JSON.parse(readFileSync(path.join(FIXTURES, 'torch-logits.json'), 'utf8')) as { classes: string[]; tiny: Record<string, TorchSplit>; 'tiny-nhwc': Record<string, TorchSplit> };

let dir: string;
let workerPath: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lade-onnx-'));
  workerPath = await bundleOnnxWorker();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.dirname(workerPath), { recursive: true, force: true });
});

const importTo = (name: string, options: Partial<OnnxImportOptions> = {}, hooks = {}) =>
  importOnnxRun({ runDir: path.join(dir, name), model: path.join(FIXTURES, 'tiny.onnx'), data: DATA, ...options }, { workerPath, ...hooks });

function readF32(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

function readI32(file: string): Int32Array {
  const b = readFileSync(file);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

describe('importOnnxRun', () => {
  it.each(['tiny', 'tiny-nhwc'] as const)('%s: logits match PyTorch to 1e-4, rows in ImageFolder order', async (model) => {
    const result = await importTo(model, { model: path.join(FIXTURES, `${model}.onnx`), loss: 'lade' });
    const runDir = path.join(dir, model);
    expect(result.layout).toBe(model === 'tiny' ? 'NCHW' : 'NHWC');
    expect(result.normSource).toBe(model === 'tiny' ? 'metadata' : 'default');
    expect(result.provider.name).toBe('cpu');
    for (const split of ['val', 'test']) {
      const want = torch[model][split]!;
      expect(readFileSync(path.join(runDir, `files-${split}.txt`), 'utf8').trim().split('\n')).toEqual(want.files);
      const got = readF32(path.join(runDir, `logits-${split}.bin`));
      expect(got.length).toBe(want.logits.length * 3);
      want.logits.flat().forEach((v, k) => expect(Math.abs(got[k]! - v)).toBeLessThan(1e-4));
      const labels = readI32(path.join(runDir, `labels-${split}.bin`));
      expect([...labels]).toEqual(want.files.map((f) => torch.classes.indexOf(f.split('/')[1]!)));
    }
    const record = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({
      version: 2,
      status: 'completed',
      loss: 'lade',
      origin: { kind: 'imported', source: 'onnx', files: [path.join(FIXTURES, `${model}.onnx`)] },
      classes: ['Dog', 'bird', 'cat'],
      trainCounts: [3, 2, 5],
      sourcePrior: [0.3, 0.2, 0.5],
      evalSplits: [
        { name: 'val', count: 5 },
        { name: 'test', count: 5 },
      ],
      input: model === 'tiny' ? { size: 16, channels: 3, mean: [0.5, 0.4, 0.3], std: [0.25, 0.2, 0.3] } : { size: 16, channels: 1, mean: [0], std: [1] },
    });
    expect(readFileSync(path.join(runDir, 'model.onnx'))).toEqual(readFileSync(path.join(FIXTURES, `${model}.onnx`)));
  });

  it('orders classes by code point, as Python sorted() does, not by UTF-16 unit or locale', () => {
    expect(codePointOrder(['cat', 'Dog', 'bird', '\u{1F600}', '\uFF21'])).toEqual(['Dog', 'bird', 'cat', '\uFF21', '\u{1F600}']);
  });

  it('--classes reorders the logit columns the labels refer to; --mean/--std override metadata', async () => {
    const file = path.join(dir, 'classes.txt');
    writeFileSync(file, 'cat\nbird\nDog\n');
    const result = await importTo('reordered', { classes: file, mean: '0.5,0.4,0.3', std: '0.25,0.2,0.3' });
    expect(result.record.classes).toEqual(['cat', 'bird', 'Dog']);
    expect(result.normSource).toBe('flags');
    const labels = readI32(path.join(dir, 'reordered', 'labels-val.bin'));
    expect([...labels]).toEqual([2, 2, 1, 0, 0]);
    // Same normalisation as the metadata gives, so the same logits as torch's.
    const got = readF32(path.join(dir, 'reordered', 'logits-val.bin'));
    torch.tiny.val!.logits.flat().forEach((v, k) => expect(Math.abs(got[k]! - v)).toBeLessThan(1e-4));
  });

  it('refuses a class file without a dataset class, and one of the wrong width for the model', async () => {
    const missing = path.join(dir, 'missing.txt');
    writeFileSync(missing, 'cat\nbird\nfish\n');
    await expect(importTo('x1', { classes: missing })).rejects.toThrow(/class folder 'Dog' is not in --classes/);
    const wide = path.join(dir, 'wide.txt');
    writeFileSync(wide, 'cat\nbird\nDog\nfish\n');
    const err = await importTo('x2', { classes: wide }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxInputError);
    expect((err as Error).message).toMatch(/outputs 3 logits per image but the dataset has 4 classes/);
    expect(existsSync(path.join(dir, 'x2'))).toBe(false);
  });

  it('names a bad --mean and a dataset without labelled eval splits', async () => {
    await expect(importTo('x3', { mean: '0.1,0.2' })).rejects.toThrow(/--mean '0.1,0.2' has 2 values; the model takes 3/);
    await expect(importTo('x4', { data: path.join(DATA, 'train') })).rejects.toThrow(/needs split folders train\/ and val\/ or test\//);
  });

  it('does not overwrite a run without force, and replaces it with force', async () => {
    await importTo('again');
    await expect(importTo('again')).rejects.toThrow(/already exists and is not empty; pass --force/);
    await expect(importTo('again', { force: true })).resolves.toBeDefined();
    const other = path.join(dir, 'not-a-run');
    writeFileSync(path.join(dir, 'keep.txt'), 'x');
    await expect(importOnnxRun({ runDir: dir, model: path.join(FIXTURES, 'tiny.onnx'), data: DATA, force: true }, { workerPath })).rejects.toThrow(/is not a run folder/);
    expect(existsSync(path.join(dir, 'keep.txt')) && !existsSync(other)).toBe(true);
  });

  it('reports progress per split and stops when cancelled', async () => {
    const seen: string[] = [];
    await importTo('progress', {}, { onProgress: (p: { split: string; phase: string }) => seen.push(`${p.split}:${p.phase}`) });
    expect(seen).toContain('val:infer');
    expect(seen).toContain('test:infer');
    const abort = new AbortController();
    const pending = importTo('cancelled', {}, { signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(existsSync(path.join(dir, 'cancelled'))).toBe(false);
  });
});

function hasTorch(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch, torchvision, PIL'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasTorch())('scripts/make-onnx-fixtures.py (needs /usr/bin/python3 with torch)', () => {
  it('regenerates the committed torch logits', () => {
    const out = path.join(dir, 'regen');
    execFileSync('/usr/bin/python3', ['scripts/make-onnx-fixtures.py', out], { stdio: 'ignore' });
    const again = JSON.parse(readFileSync(path.join(out, 'torch-logits.json'), 'utf8')) as typeof torch;
    expect(again.classes).toEqual(torch.classes);
    for (const m of ['tiny', 'tiny-nhwc'] as const) {
      for (const s of ['val', 'test']) again[m][s]!.logits.flat().forEach((v, k) => expect(v).toBeCloseTo(torch[m][s]!.logits.flat()[k]!, 5));
    }
  });
});
