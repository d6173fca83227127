// Writes small labelled datasets (folder-per-class of real PNGs) for the end-to-end tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

/** A tiny valid PNG whose pixels depend on the seed, so no two files are byte-identical duplicates. */
function png(seed: number): Buffer {
  const img = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < img.data.length; i += 4) {
    img.data[i] = (seed * 37 + i) % 256;
    img.data[i + 1] = (seed * 91) % 256;
    img.data[i + 2] = (i * 7) % 256;
    img.data[i + 3] = 255;
  }
  return PNG.sync.write(img);
}

/**
 * Creates `<new temp dir>/<class>/img-<i>.png` with counts[class] images per class and returns the
 * folder. With `splits`, each split gets its own class folders: `<dir>/<split>/<class>/...`.
 */
export function writeFolderDataset(
  counts: Readonly<Record<string, number>>,
  options: { readonly parent?: string; readonly splits?: readonly string[] } = {},
): string {
  const root = mkdtempSync(path.join(options.parent ?? os.tmpdir(), 'lade-e2e-dataset-'));
  let seed = 0;
  for (const split of options.splits ?? ['']) {
    for (const [name, n] of Object.entries(counts)) {
      const dir = path.join(root, split, name);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `img-${i}.png`), png(seed++));
    }
  }
  return root;
}
