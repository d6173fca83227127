import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../../../src/core/runs';
import { listRuns, perClassTestCount, readLabels } from '../../../../src/extension/metrics/runFolders';
import { recordV1 } from '../../../support/runRecords';

/** A run folder as the trainer leaves it: run.json plus logits-<split>.bin / labels-<split>.bin. */
function makeRun(root: string, name: string, loss: string, labels: number[], numClasses = 3, extra: Record<string, unknown> = {}): string {
  const dir = path.join(root, '.lade', 'runs', name);
  mkdirSync(dir, { recursive: true });
  const counts = [100, 30, 5].slice(0, numClasses);
  const record = recordV1(loss, { name, classes: ['a', 'b', 'c'].slice(0, numClasses), trainCounts: counts, sourcePrior: counts.map((n) => n / 135), evalSplits: [{ name: 'test', count: labels.length }], ...extra });
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
  writeFileSync(path.join(dir, 'labels-test.bin'), Buffer.from(Int32Array.from(labels).buffer));
  writeFileSync(path.join(dir, 'logits-test.bin'), Buffer.from(new Float32Array(labels.length * numClasses).buffer));
  return dir;
}

describe('run folders', () => {
  it('reads what the panel needs and lists runs newest first, naming broken ones', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lade-runs-'));
    const a = makeRun(root, 'ce-1', 'ce', [0, 1, 2, 0]);
    const b = makeRun(root, 'lade-1', 'lade', [0, 1, 2, 2]);
    utimesSync(path.join(a, 'run.json'), 1000, 1000);
    makeRun(root, 'odd', 'focal', [0]);
    mkdirSync(path.join(root, '.lade', 'runs', 'still-training'));
    const { runs, problems } = listRuns(root);
    expect(runs.map((r) => [r.name, r.record.loss])).toEqual([
      ['lade-1', 'lade'],
      ['ce-1', 'ce'],
    ]);
    expect(runs[0]!.splits).toEqual([{ name: 'test', count: 4, logitsFile: path.join(b, 'logits-test.bin'), labelsFile: path.join(b, 'labels-test.bin'), filesFile: null }]);
    expect(problems).toEqual([`${path.join(root, '.lade', 'runs', 'odd', 'run.json')}: "config.loss" must be one of ce, lade, bs, la.`]);
    expect(listRuns(path.join(root, 'nowhere'))).toEqual({ runs: [], problems: [] });
  });

  it.each([
    [{ classes: [] }, '"classes" must be a non-empty list'],
    [{ trainCounts: [1, 2] }, '"trainCounts" must list one whole number >= 0 per class (3)'],
    [{ evalSplits: [{ name: '../x', count: 1 }] }, '"evalSplits.0.name" must be a plain split name such as val or test'],
  ])('rejects run.json with %j', (extra, expected) => {
    const root = mkdtempSync(path.join(tmpdir(), 'lade-runs-'));
    expect(() => readRun(makeRun(root, 'r', 'lade', [0], 3, extra))).toThrow(expected);
  });

  it('checks labels against the classes and the logits size, and finds m for the shift protocol', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lade-runs-'));
    const run = readRun(makeRun(root, 'r', 'lade', [0, 1, 2, 0, 1, 0]));
    const labels = readLabels(run.splits[0]!, 3);
    expect(Array.from(labels)).toEqual([0, 1, 2, 0, 1, 0]);
    expect(perClassTestCount(labels, 3)).toBe(1);
    expect(() => readLabels(run.splits[0]!, 4)).toThrow('expected 6 rows x 4 classes x 4 = 96');
    const bad = readRun(makeRun(root, 'bad', 'lade', [0, 5]));
    expect(() => readLabels(bad.splits[0]!, 3)).toThrow('row 1 has label 5, outside 0..2');
  });
});
