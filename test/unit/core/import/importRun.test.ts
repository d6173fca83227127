// importRun and the class / count readers: the run folder it writes, and what it refuses.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError, importRun, readClassList, readPredictions, readTrainCounts, type ImportOptions } from '../../../../src/core/import';
import { pngBytes } from '../dataset/helpers';
import { grid, writeNpz } from './files';

const FIXTURES = path.join(__dirname, '../../../fixtures/import');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lade-import-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const classes = ['cat', 'dog', 'bird'];

function options(dir: string, files: Record<string, string>, extra: Partial<ImportOptions> = {}): ImportOptions {
  return {
    dir,
    classes,
    trainCounts: [60, 20, 6],
    loss: 'lade',
    source: 'logits',
    files: Object.values(files),
    splits: Object.entries(files).map(([name, file]) => ({ name, read: () => readPredictions(file, { labels: 'required', classes }) })),
    force: false,
    ...extra,
  };
}

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(ImportError);
  await expect(p).rejects.toThrow(pattern);
}

describe('importRun', () => {
  it('writes logits, labels, run.json v2 with origin, source prior and accuracy per split', async () => {
    const dir = path.join(tmp, 'runs', 'resnet');
    const test = writeNpz(path.join(tmp, 'test.npz'), { logits: { descr: '<f4', shape: [4, 3], data: grid(4, 3).logits }, labels: { descr: '<i8', shape: [4], data: BigInt64Array.of(2n, 2n, 0n, 1n) } });
    const record = await importRun(options(dir, { val: path.join(FIXTURES, 'val-f16.npz'), test }));
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(record)));
    expect(onDisk).toMatchObject({
      version: 2,
      name: 'resnet',
      status: 'completed',
      loss: 'lade',
      origin: { kind: 'imported', source: 'logits', files: [path.join(FIXTURES, 'val-f16.npz'), test] },
      classes,
      trainCounts: [60, 20, 6],
      evalSplits: [{ name: 'val', count: 24 }, { name: 'test', count: 4 }],
    });
    expect(onDisk.sourcePrior).toEqual([60 / 86, 20 / 86, 6 / 86]);
    // grid rows rise with the column, so every argmax is 'bird' (2): two of the four labels.
    expect(onDisk.finalAccuracy.test).toBe(50);
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as { logitsFloat16: number[][]; labels: number[]; accuracy: number };
    expect(onDisk.finalAccuracy.val).toBeCloseTo(expected.accuracy, 10);
    const logits = readFileSync(path.join(dir, 'logits-val.bin'));
    expect(Array.from(new Float32Array(logits.buffer, logits.byteOffset, logits.length / 4))).toEqual(Array.from(Float32Array.from(expected.logitsFloat16.flat())));
    const labels = readFileSync(path.join(dir, 'labels-test.bin'));
    expect(Array.from(new Int32Array(labels.buffer, labels.byteOffset, 4))).toEqual([2, 2, 0, 1]);
    expect(readdirSync(path.dirname(dir))).toEqual(['resnet']);
  });

  it('overwrites nothing without force, and with force only a run folder', async () => {
    const dir = path.join(tmp, 'exists');
    const val = path.join(FIXTURES, 'val.npz');
    await importRun(options(dir, { val }));
    await rejects(importRun(options(dir, { val })), /already exists; use --force to replace it/);
    const record = await importRun(options(dir, { val }, { loss: 'ce', force: true }));
    expect(JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')).loss).toBe('ce');
    expect(record.loss).toBe('ce');
    const other = path.join(tmp, 'notes');
    mkdirSync(other);
    writeFileSync(path.join(other, 'thesis.tex'), 'precious');
    await rejects(importRun(options(other, { val }, { force: true })), /other files and no run\.json/);
    expect(readFileSync(path.join(other, 'thesis.tex'), 'utf8')).toBe('precious');
  });

  it('a failed import leaves no run folder, and a failed --force import keeps the old run', async () => {
    const bad = writeNpz(path.join(tmp, 'bad.npz'), { logits: { descr: '<f4', shape: [4, 3], data: grid(4, 3).logits }, labels: { descr: '<i4', shape: [4], data: Int32Array.of(0, 1, 2, 7) } });
    const dir = path.join(tmp, 'failed');
    await rejects(importRun(options(dir, { val: path.join(FIXTURES, 'val.npz'), test: bad })), /labels row 3 is 7/);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.'))).toEqual([]);
    const kept = path.join(tmp, 'kept');
    await importRun(options(kept, { val: path.join(FIXTURES, 'val.npz') }));
    await rejects(importRun(options(kept, { test: bad }, { force: true })), /labels row 3 is 7/);
    expect(JSON.parse(readFileSync(path.join(kept, 'run.json'), 'utf8')).evalSplits).toEqual([{ name: 'val', count: 24 }]);
  });
});

describe('readClassList and readTrainCounts', () => {
  const write = (name: string, text: string): string => {
    const file = path.join(tmp, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads class names one per line or as a JSON array, refusing duplicates', () => {
    expect(readClassList(path.join(FIXTURES, 'classes.txt'))).toEqual(classes);
    expect(readClassList(write('c.json', '["great white shark", "tench"]'))).toEqual(['great white shark', 'tench']);
    expect(() => readClassList(write('dup.txt', 'cat\ndog\ncat\n'))).toThrow(/dup\.txt:3: class name 'cat' is given twice/);
    expect(() => readClassList(write('dup.json', '["a", "b", "a"]'))).toThrow(/dup\.json: class 'a' is listed twice/);
    expect(() => readClassList(write('num.json', '["a", 3]'))).toThrow(/num\.json: entry 1 must be a non-empty class name, got 3/);
  });

  it('reads counts from JSON and CSV, naming missing, stray, duplicate and fractional classes', async () => {
    expect(await readTrainCounts(path.join(FIXTURES, 'train-counts.json'), classes)).toEqual([60, 20, 6]);
    expect(await readTrainCounts(write('n.csv', 'class,count\nbird,1\ncat,5\ndog,0\n'), classes)).toEqual([5, 0, 1]);
    await expect(readTrainCounts(write('miss.json', '{"cat": 1, "dog": 2}'), classes)).rejects.toThrow(/miss\.json: no count for class 'bird'/);
    await expect(readTrainCounts(write('stray.json', '{"cat": 1, "dog": 2, "bird": 3, "fish": 4}'), classes)).rejects.toThrow(/stray\.json: class 'fish' is not in the class list/);
    await expect(readTrainCounts(write('dup.csv', 'class,count\ncat,1\ndog,2\ncat,3\nbird,1\n'), classes)).rejects.toThrow(/dup\.csv: line 4: class 'cat' appears twice/);
    await expect(readTrainCounts(write('frac.json', '{"cat": 1.5, "dog": 2, "bird": 3}'), classes)).rejects.toThrow(/count of class 'cat' must be a whole number/);
    await expect(readTrainCounts(path.join(tmp, 'nowhere.json'), classes)).rejects.toThrow(/nowhere\.json: no such file or folder/);
  });

  it('counts the train split of a dataset folder', async () => {
    const root = path.join(tmp, 'dataset');
    const counts = { cat: 3, dog: 2, bird: 1 };
    for (const [c, n] of Object.entries(counts)) {
      for (let i = 0; i < n; i++) {
        for (const split of ['train', 'test']) {
          mkdirSync(path.join(root, split, c), { recursive: true });
          writeFileSync(path.join(root, split, c, `${i}.png`), pngBytes(i));
        }
      }
    }
    writeFileSync(path.join(root, 'test', 'cat', '9.png'), pngBytes(9));
    expect(await readTrainCounts(root, classes)).toEqual([3, 2, 1]);
    await expect(readTrainCounts(root, ['cat', 'dog'])).rejects.toThrow(/dataset \(train images\): class 'bird' is not in the class list/);
  });
});
