// The committed sample dataset is what the demo and the docs rely on: check it matches its recipe.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { analyzeDataset, listSamples } from '../../../../src/core/dataset';

const ROOT = path.resolve('samples/fashion-lt');
const FASHION = ['T-shirt_top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle_boot'];

describe('samples/fashion-lt', () => {
  it('has n_i = floor(500 * 0.01^(i/9)) train images, 20 val and 100 test per class', async () => {
    const r = await analyzeDataset(ROOT);
    const train = Object.fromEntries(r.classes.map((c) => [c.name, c.count]));
    expect(train).toEqual(Object.fromEntries(FASHION.map((name, i) => [name, Math.floor(500 * 0.01 ** (i / 9))])));
    expect(r.imbalanceRatio).toBe(100);
    expect(r.splits.map((s) => [s.name, s.total])).toEqual([
      ['train', 1236],
      ['val', 200],
      ['test', 1000],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('holds 28x28 grayscale PNGs, and val images are not train images', async () => {
    const names = { train: new Set<string>(), val: new Set<string>() };
    let checked = 0;
    for await (const s of listSamples(ROOT)) {
      if (s.split === 'train' || s.split === 'val') names[s.split].add(path.basename(s.path));
      if (checked++ % 97 === 0) {
        const png = PNG.sync.read(readFileSync(s.path));
        expect([png.width, png.height, png.colorType]).toEqual([28, 28, 0]);
      }
    }
    expect([...names.val].filter((n) => names.train.has(n))).toEqual([]);
  });
});
