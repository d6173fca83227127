import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeDataset, listSamples, type Sample } from '../../../../src/core/dataset';
import { TempTree } from './helpers';

let t: TempTree;
beforeEach(() => {
  t = new TempTree();
});
afterEach(() => t.remove());

async function collect(it: AsyncIterable<Sample>): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of it) out.push(s);
  return out;
}

describe('listSamples', () => {
  it('yields split by split, class by class, files in path order, with the class indices analyzeDataset uses', async () => {
    t.images('train/dog', 2);
    t.images('train/cat/nested', 1);
    t.images('test/eel', 1);
    t.images('test/cat', 1);
    const all = await collect(listSamples(t.root));
    const rel = (s: Sample) => [s.split, s.className, s.classIndex, s.path.slice(t.root.length + 1)];
    expect(all.map(rel)).toEqual([
      ['train', 'cat', 0, 'train/cat/nested/0.png'],
      ['train', 'dog', 1, 'train/dog/0.png'],
      ['train', 'dog', 1, 'train/dog/1.png'],
      ['test', 'cat', 0, 'test/cat/0.png'],
      ['test', 'eel', 2, 'test/eel/0.png'],
    ]);
    const r = await analyzeDataset(t.root);
    expect(r.classes.map((c) => c.name)).toEqual(['cat', 'dog', 'eel']);
    expect((await collect(listSamples(t.root, { split: 'test' }))).map((s) => s.className)).toEqual(['cat', 'eel']);
  });

  it('rejects an unknown split, naming the ones there are', async () => {
    t.images('train/a', 1);
    t.images('val/a', 1);
    await expect(collect(listSamples(t.root, { split: 'test' }))).rejects.toThrow(`${t.root} has no 'test' split (it has train, val)`);
  });

  it('replays manifests in line order with resolved paths and split filtering', async () => {
    t.file('m_train.txt', 'b.png dog\na.png cat\n');
    t.file('m_val.txt', 'c.png dog\n');
    const opts = { manifest: [t.path('m_train.txt'), t.path('m_val.txt')] };
    const all = await collect(listSamples(t.root, opts));
    expect(all).toEqual([
      { path: t.path('b.png'), classIndex: 1, className: 'dog', split: 'train' },
      { path: t.path('a.png'), classIndex: 0, className: 'cat', split: 'train' },
      { path: t.path('c.png'), classIndex: 1, className: 'dog', split: 'val' },
    ]);
    expect(await collect(listSamples(t.root, { ...opts, split: 'val' }))).toHaveLength(1);
  });
});
