// COCO-style JSON manifests (iNaturalist 2017/2018): a small generated download with a train and a val
// file, counted by analyzeDataset and listed by listSamples like any other manifest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeDataset, listSamples } from '../../../../src/core/dataset';
import { TempTree } from './helpers';

let t: TempTree;
beforeEach(() => {
  t = new TempTree();
});
afterEach(() => t.remove());

const CATEGORIES = [
  { id: 0, name: 'Aves', supercategory: 'Animalia' },
  { id: 1, name: 'Plantae', supercategory: 'Plantae' },
  { id: 2, name: 'Fungi', supercategory: 'Fungi' },
];

/** An iNaturalist-like file: `counts[c]` images of category c under train_val2018/<name>/<n>.jpg. */
function inat(counts: readonly number[], offset: number): object {
  const images: object[] = [];
  const annotations: object[] = [];
  counts.forEach((n, c) => {
    for (let k = 0; k < n; k++) {
      const id = offset + images.length;
      images.push({ id, file_name: `train_val2018/${CATEGORIES[c]!.name}/${id}.jpg`, width: 800, height: 600 });
      annotations.push({ id: 1000 + id, image_id: id, category_id: c });
    }
  });
  return { info: { year: 2018 }, images, annotations, categories: CATEGORIES, licenses: [] };
}

describe('COCO-style JSON manifests', () => {
  it('counts an iNaturalist-style download with train2018.json and val2018.json', async () => {
    t.file('train2018.json', JSON.stringify(inat([5, 2, 1], 0)));
    t.file('val2018.json', JSON.stringify(inat([1, 1, 1], 100)));
    const r = await analyzeDataset(t.root, { manifest: ['train2018.json', 'val2018.json'] });
    expect(r.layout).toBe('coco-json');
    expect(r.primarySplit).toBe('train');
    expect(r.classes.map((c) => [c.name, c.count])).toEqual([
      ['Aves', 5],
      ['Fungi', 1],
      ['Plantae', 2],
    ]);
    expect(r.splits.map((s) => [s.name, s.total])).toEqual([
      ['train', 8],
      ['val', 3],
    ]);
    const samples = [];
    for await (const s of listSamples(t.root, { manifest: 'val2018.json' })) samples.push(s);
    expect(samples.map((s) => [s.path, s.className])).toEqual([
      [t.path('train_val2018/Aves/100.jpg'), 'Aves'],
      [t.path('train_val2018/Plantae/101.jpg'), 'Plantae'],
      [t.path('train_val2018/Fungi/102.jpg'), 'Fungi'],
    ]);
  });

  it('uses category ids when the names are not unique, and skips repeated annotations of one image', async () => {
    t.file('train.json', JSON.stringify({
      images: [{ id: 'a', file_name: 'a.jpg' }, { id: 'b', file_name: 'b.jpg' }, { id: 'c', file_name: 'c.jpg' }],
      annotations: [{ image_id: 'a', category_id: 0 }, { image_id: 'a', category_id: 0 }, { image_id: 'b', category_id: 2 }],
      categories: [{ id: 0, name: 'x' }, { id: 1, name: 'x' }, { id: 2, name: 'y' }],
    }));
    const r = await analyzeDataset(t.root, { manifest: 'train.json' });
    expect(r.classes.map((c) => [c.name, c.count])).toEqual([
      ['0', 1],
      ['1', 0],
      ['2', 1],
    ]);
  });

  it('names the file and the entry of a broken manifest', async () => {
    const fails = async (doc: unknown, pattern: RegExp) => {
      t.file('bad.json', typeof doc === 'string' ? doc : JSON.stringify(doc));
      await expect(analyzeDataset(t.root, { manifest: 'bad.json' })).rejects.toThrow(pattern);
    };
    const images = [{ id: 1, file_name: 'a.jpg' }];
    await fails('{"images": [', /bad\.json: not a readable JSON manifest/);
    await fails({ annotations: [] }, /bad\.json: "images" must be a list/);
    await fails({ images: [{ id: 1 }], annotations: [] }, /bad\.json: images\[0\] needs an "id" and a "file_name"/);
    await fails({ images, annotations: [{ image_id: 2, category_id: 0 }] }, /bad\.json: annotations\[0\] refers to image_id 2, which is not in "images"/);
    await fails({ images, annotations: [{ image_id: 1, category_id: 5 }], categories: [{ id: 0, name: 'x' }] }, /annotations\[0\] refers to category_id 5, which is not in "categories"/);
    await fails(
      { images, annotations: [{ image_id: 1, category_id: 0 }, { image_id: 1, category_id: 1 }], categories: [{ id: 0, name: 'x' }, { id: 1, name: 'y' }] },
      /annotations\[1\]: image a\.jpg is labelled both 'x' and 'y'/,
    );
  });
});
