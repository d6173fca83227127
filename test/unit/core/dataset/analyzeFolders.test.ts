import { chmodSync, symlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeDataset, DatasetError, type ScanProgress } from '../../../../src/core/dataset';
import { TempTree } from './helpers';

let t: TempTree;
beforeEach(() => {
  t = new TempTree();
});
afterEach(() => t.remove());

const counts = (r: { classes: readonly { name: string; count: number }[] }) => Object.fromEntries(r.classes.map((c) => [c.name, c.count]));
const kinds = (r: { warnings: readonly { kind: string }[] }) => r.warnings.map((w) => w.kind);

describe('analyzeDataset on folder-per-class trees', () => {
  it('counts PNG/JPEG images at any depth under each class folder, case-insensitive; other image formats are skipped with a warning', async () => {
    t.images('cat', 3);
    t.file('cat/deep/er/x.JPG');
    t.file('cat/y.TIFF');
    t.file('cat/notes.txt', 'not an image');
    t.file('cat/model.pngx', 'not an image');
    t.images('dog', 2, 'webp');
    const r = await analyzeDataset(t.root);
    expect(r.layout).toBe('folder-per-class');
    expect(r.primarySplit).toBeNull();
    expect(r.splits).toEqual([]);
    // The trainer decodes PNG and JPEG only, so analyze counts what train trains on.
    expect(counts(r)).toEqual({ cat: 4, dog: 0 });
    expect(r.total).toBe(4);
    expect(r.warnings.find((w) => w.kind === 'unsupported-format')!.message).toMatch(/^3 images skipped \(1 \.tiff, 2 \.webp\): LADE trains on PNG and JPEG only/);
    expect(r.warnings.find((w) => w.kind === 'empty-class')!.message).toMatch(/dog/);
  });

  it('ignores hidden files and folders, and paths matching ignore globs', async () => {
    t.images('a', 2);
    t.file('a/.hidden.png');
    t.images('a/.cache', 4);
    t.images('a/augmented', 5);
    t.images('.git', 3);
    t.images('b', 1);
    t.file('b/skip_me.png');
    const r = await analyzeDataset(t.root, { ignore: ['**/augmented', '**/skip_*'] });
    expect(counts(r)).toEqual({ a: 2, b: 1 });
  });

  it('detects a split level, reports per-split histograms and classes missing in a split', async () => {
    t.images('train/cat', 30);
    t.images('train/dog', 3);
    t.images('train/owl', 1);
    t.images('val/cat', 2);
    t.images('val/dog', 2);
    t.images('test/cat', 4);
    t.images('test/eel', 4);
    const r = await analyzeDataset(t.root);
    expect(r.primarySplit).toBe('train');
    expect(r.classes.map((c) => c.name)).toEqual(['cat', 'dog', 'eel', 'owl']);
    expect(counts(r)).toEqual({ cat: 30, dog: 3, eel: 0, owl: 1 });
    expect(r.splits.map((s) => [s.name, s.total, s.counts])).toEqual([
      ['train', 34, [30, 3, 0, 1]],
      ['val', 4, [2, 2, 0, 0]],
      ['test', 8, [4, 0, 4, 0]],
    ]);
    const byKind = (k: string) => r.warnings.filter((w) => w.kind === k);
    expect(byKind('empty-class')[0]!.classes).toEqual(['eel']);
    expect(byKind('single-image-class')[0]!.classes).toEqual(['owl']);
    expect(byKind('missing-in-split').map((w) => w.classes)).toEqual([['eel', 'owl'], ['dog', 'owl']]);
    expect(byKind('missing-in-split')[0]!.message).toMatch(/^val has no images of 2 classes found in other splits: eel, owl/);
  });

  it('treats top-level folders as classes unless all of them are split names', async () => {
    t.images('train', 2);
    t.images('zebra', 1);
    const r = await analyzeDataset(t.root);
    expect(r.primarySplit).toBeNull();
    expect(counts(r)).toEqual({ train: 2, zebra: 1 });
  });

  it('computes shots and statistics with the given options', async () => {
    t.images('a', 12);
    t.images('b', 6);
    t.images('c', 2);
    const r = await analyzeDataset(t.root, { stats: { manyThreshold: 10, fewThreshold: 3, beta: 0.5 } });
    expect(r.shots).toEqual({ many: ['a'], medium: ['b'], few: ['c'] });
    expect(r.options).toEqual({ manyThreshold: 10, fewThreshold: 3, beta: 0.5 });
    expect(r.classes[2]!.effectiveNumber).toBeCloseTo(1.5, 12);
  });

  it('warns about empty classes and images outside any class folder', async () => {
    t.images('a', 2);
    t.dir('empty');
    t.file('stray.png');
    const r = await analyzeDataset(t.root);
    expect(counts(r)).toEqual({ a: 2, empty: 0 });
    expect(kinds(r)).toEqual(['unlabelled-files', 'empty-class']);
    expect(r.warnings[0]!.message).toMatch(/1 image directly in \. belong/);
  });

  it('follows a symlinked class folder and symlinked files', async () => {
    t.images('elsewhere/real', 3);
    t.dir('data');
    symlinkSync(t.path('elsewhere/real'), t.path('data/linked'));
    t.images('data/plain', 1);
    symlinkSync(t.path('elsewhere/real/0.png'), t.path('data/plain/alias.png'));
    const r = await analyzeDataset(t.path('data'));
    expect(counts(r)).toEqual({ linked: 3, plain: 2 });
    expect(r.warnings).toEqual([]);
  });

  it('reports a symlink loop once and does not follow it', async () => {
    t.images('a/sub', 2);
    symlinkSync(t.path('a'), t.path('a/sub/back'));
    symlinkSync('.', t.path('a/self'));
    const r = await analyzeDataset(t.root);
    expect(counts(r)).toEqual({ a: 2 });
    const loops = r.warnings.filter((w) => w.kind === 'symlink-loop');
    expect(loops.map((w) => w.message)).toEqual([
      'symlink a/self points back to a folder above it; not followed',
      'symlink a/sub/back points back to a folder above it; not followed',
    ]);
  });

  it('reports a dangling symlink (a folder that cannot be read) and scans the rest', async () => {
    t.images('a', 2);
    symlinkSync(t.path('gone'), t.path('b'));
    t.images('c', 1);
    symlinkSync(t.path('gone-too'), t.path('c/sub'));
    const r = await analyzeDataset(t.root);
    expect(counts(r)).toEqual({ a: 2, c: 1 });
    expect(r.warnings.filter((w) => w.kind === 'unreadable').map((w) => w.message)).toEqual([
      'cannot read b; it was skipped',
      'cannot read c/sub; it was skipped',
    ]);
  });

  // Root reads every folder whatever its mode, so chmod cannot make one unreadable there; crawl.test.ts
  // covers the same path with an injected EACCES.
  it.skipIf(process.getuid?.() === 0)('reports a folder without read permission (non-root only)', async () => {
    t.images('a', 2);
    t.images('b/locked', 2);
    chmodSync(t.path('b/locked'), 0o000);
    try {
      const r = await analyzeDataset(t.root);
      expect(counts(r)).toEqual({ a: 2, b: 0 });
      expect(r.warnings.some((w) => w.kind === 'unreadable' && w.message.includes('b/locked'))).toBe(true);
    } finally {
      chmodSync(t.path('b/locked'), 0o755);
    }
  });

  it('fails with a DatasetError for a missing folder, a file, or a tree without images', async () => {
    await expect(analyzeDataset(t.path('nope'))).rejects.toThrow(/^no such folder: /);
    t.file('f.png');
    await expect(analyzeDataset(t.path('f.png'))).rejects.toThrow(/^not a folder: /);
    t.file('a/readme.txt', 'x');
    await expect(analyzeDataset(t.root)).rejects.toBeInstanceOf(DatasetError);
    await expect(analyzeDataset(t.root)).rejects.toThrow(/^no images found in /);
  });

  it('fails when the training split is empty although others are not', async () => {
    t.dir('train/a');
    t.images('test/a', 2);
    await expect(analyzeDataset(t.root)).rejects.toThrow(/the train split of .* has no images/);
  });

  it('reports progress with the number of files seen, ending at the total', async () => {
    t.images('a', 30);
    t.images('b', 12);
    const seen: ScanProgress[] = [];
    const r = await analyzeDataset(t.root, { onProgress: (p) => seen.push(p) });
    expect(r.total).toBe(42);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.phase === 'scan')).toBe(true);
    expect(seen.at(-1)!.filesSeen).toBe(42);
  });

  it('stops with the abort reason when cancelled', async () => {
    t.images('a', 3);
    const aborted = new AbortController();
    aborted.abort(new Error('cancelled by user'));
    await expect(analyzeDataset(t.root, { signal: aborted.signal })).rejects.toThrow('cancelled by user');

    const midway = new AbortController();
    const run = analyzeDataset(t.root, { signal: midway.signal, validate: true });
    midway.abort();
    await expect(run).rejects.toThrow(/abort/i);
  });
});
