// Writes a tiny long-tailed image-folder dataset whose classes are easy to tell apart (each class lights a
// different band of the image), so a couple of epochs visibly learn.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

export function writePng(file: string, size: number, pixel: (x: number, y: number) => [number, number, number]): void {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(x, y);
      const i = (y * size + x) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, PNG.sync.write(png));
}

export interface TinyDataset {
  readonly root: string;
  readonly classes: readonly string[];
}

/** Three classes with train counts `counts`, `testPerClass` test images each, size x size grey PNGs. */
export function makeTinyDataset(counts = [24, 12, 6], testPerClass = 4, size = 8): TinyDataset {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lade-train-'));
  const classes = counts.map((_, c) => `class${c}`);
  let seed = 7;
  const noise = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 24) % 40;
  };
  const draw = (c: number) => (_x: number, y: number): [number, number, number] => {
    const v = Math.floor((y * counts.length) / size) === c ? 200 + noise() : noise();
    return [v, v, v];
  };
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++) writePng(path.join(root, 'train', classes[c], `${i}.png`), size, draw(c));
    for (let i = 0; i < testPerClass; i++) writePng(path.join(root, 'test', classes[c], `${i}.png`), size, draw(c));
  });
  return { root, classes };
}
