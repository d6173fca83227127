import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeDataset } from '../../../../src/core/dataset';
import { TempTree } from './helpers';

let t: TempTree;
beforeEach(() => {
  t = new TempTree();
});
afterEach(() => t.remove());

const counts = (r: { classes: readonly { name: string; count: number }[] }) => Object.fromEntries(r.classes.map((c) => [c.name, c.count]));

describe('analyzeDataset with split list files', () => {
  it('reads ImageNet-LT style lists: integer labels are class indices, splits come from the file names', async () => {
    t.file('LT_train.txt', 'train/n1/a.JPEG 0\ntrain/n1/b.JPEG 0\ntrain/n3/c.JPEG 3\n\n# comment\ntrain/n1/d.JPEG 0\n');
    t.file('LT_test.txt', 'val/x.JPEG 1\r\nval/y.JPEG 3\r\n');
    const r = await analyzeDataset(t.root, { manifest: [t.path('LT_test.txt'), t.path('LT_train.txt')] });
    expect(r.layout).toBe('split-list');
    expect(r.primarySplit).toBe('train');
    expect(counts(r)).toEqual({ 0: 3, 1: 0, 2: 0, 3: 1 });
    expect(r.splits.map((s) => [s.name, s.counts])).toEqual([
      ['train', [3, 0, 0, 1]],
      ['test', [0, 1, 0, 1]],
    ]);
    expect(r.warnings.find((w) => w.kind === 'empty-class')!.classes).toEqual(['1', '2']);
  });

  it('names integer classes from a class-name map, and accepts name labels and paths with spaces', async () => {
    t.file('classes.txt', '/a/airfield 0\n/b/bar 1\n');
    t.file('train.txt', 'my photos/a b.jpg 1\nz.jpg /a/airfield\n');
    const r = await analyzeDataset(t.root, { manifest: 'train.txt', classNames: t.path('classes.txt') });
    expect(counts(r)).toEqual({ '/a/airfield': 1, '/b/bar': 1 });
  });

  it('sorts name labels and finds a relative manifest inside the dataset root', async () => {
    t.file('list.txt', 'a.png zebra\nb.png ant\nc.png zebra\n');
    const r = await analyzeDataset(t.root, { manifest: 'list.txt' });
    expect(r.classes.map((c) => [c.name, c.count])).toEqual([
      ['ant', 1],
      ['zebra', 2],
    ]);
    expect(r.primarySplit).toBeNull();
  });

  it('rejects a malformed line with its file and line number', async () => {
    const file = t.file('train.txt', 'a.png 0\nno-label-here\n');
    await expect(analyzeDataset(t.root, { manifest: file })).rejects.toThrow(`${file}:2: expected 'relative/path label', got 'no-label-here'`);
  });

  it('rejects mixed integer and name labels, and labels outside the class-name map', async () => {
    const mixed = t.file('train.txt', 'a.png 0\nb.png cat\n');
    await expect(analyzeDataset(t.root, { manifest: mixed })).rejects.toThrow(new RegExp(`^${mixed}:2: label 'cat' is a name but the first label \\(${mixed}:1\\) is an integer`));
    t.file('map.txt', 'cat\ndog\n');
    const outside = t.file('val.txt', 'a.png 1\nb.png 2\n');
    await expect(analyzeDataset(t.root, { manifest: outside, classNames: t.path('map.txt') })).rejects.toThrow(`${outside}:2: label 2 is outside the class-name map (2 classes)`);
  });

  it('fails on a missing manifest and on one without any line', async () => {
    await expect(analyzeDataset(t.root, { manifest: 'nope.txt' })).rejects.toThrow('no such manifest file: nope.txt');
    t.file('train.txt', '\n# only a comment\n');
    await expect(analyzeDataset(t.root, { manifest: 'train.txt' })).rejects.toThrow(/^no images found/);
  });

  it('leaves out lines matching ignore globs and says how many', async () => {
    t.file('train.txt', 'keep/a.png 0\naug/b.png 1\n./aug/c.png 1\n');
    const r = await analyzeDataset(t.root, { manifest: 'train.txt', ignore: ['aug/**'] });
    expect(counts(r)).toEqual({ 0: 1 });
    const skipped = r.warnings.find((w) => w.kind === 'skipped-line')!;
    expect(skipped.message).toBe(`2 manifest lines left out by the ignore globs (first: ${t.path('train.txt')}:2)`);
  });
});

describe('analyzeDataset with CSV manifests', () => {
  it('finds the path and label columns from the header and honours CSV quoting', async () => {
    t.file('labels.csv', 'id,Filename,Category\n1,"photos/a, b.png",cat\n2,"x ""y"".png","big dog"\n3,z.png,cat\n');
    const r = await analyzeDataset(t.root, { manifest: 'labels.csv' });
    expect(r.layout).toBe('csv-manifest');
    expect(counts(r)).toEqual({ 'big dog': 1, cat: 2 });
  });

  it('takes the split from a split column and lets named columns override the guess', async () => {
    t.file('all.csv', 'img,target,species,split\na.png,0,cat,train\nb.png,1,dog,train\nc.png,0,dog,test\n');
    const r = await analyzeDataset(t.root, { manifest: 'all.csv', columns: { path: 'img', label: 'species' } });
    expect(r.classes.map((c) => c.name)).toEqual(['cat', 'dog']);
    expect(r.splits.map((s) => [s.name, s.counts])).toEqual([
      ['train', [1, 1]],
      ['test', [0, 1]],
    ]);
  });

  it('rejects a header without a label column and rows with the wrong number of fields, naming the line', async () => {
    const noLabel = t.file('a.csv', 'path,size\nx.png,3\n');
    await expect(analyzeDataset(t.root, { manifest: noLabel })).rejects.toThrow(`${noLabel}:1: header has no label column (expected one of label,`);
    const ragged = t.file('b.csv', 'path,label\nx.png,0\ny.png,1,extra\n');
    await expect(analyzeDataset(t.root, { manifest: ragged })).rejects.toThrow(`${ragged}:3: expected 2 fields as in the header, found 3`);
    const empty = t.file('c.csv', 'path,label\nx.png,\n');
    await expect(analyzeDataset(t.root, { manifest: empty })).rejects.toThrow(`${empty}:2: empty label field`);
  });
});
