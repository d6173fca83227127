import { symlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeDataset, type ScanProgress } from '../../../../src/core/dataset';
import { jpegBytes, pngBytes, TempTree } from './helpers';

let t: TempTree;
beforeEach(() => {
  t = new TempTree();
});
afterEach(() => t.remove());

describe('analyzeDataset --validate', () => {
  it('finds empty, corrupt, truncated, wrong-extension and duplicate files, naming path and class', async () => {
    t.file('cat/good.png', pngBytes(1));
    t.file('cat/good.jpg', jpegBytes(2));
    t.file('cat/empty.png', Buffer.alloc(0));
    t.file('cat/garbage.png', 'this is text, not a picture');
    const png = pngBytes(3);
    t.file('cat/cut.png', png.subarray(0, png.length - 20));
    const jpg = jpegBytes(4);
    t.file('dog/cut.jpg', jpg.subarray(0, jpg.length - 2));
    t.file('dog/really-png.jpg', pngBytes(5));
    t.file('dog/copy.png', pngBytes(1));
    const progress: ScanProgress[] = [];
    const r = await analyzeDataset(t.root, { validate: true, onProgress: (p) => progress.push(p) });

    expect(r.validation).toEqual({ decoder: 'sharp', checked: 8, corrupt: 4, extensionMismatches: 1, duplicates: 1, missing: 0 });
    const messages = r.warnings.map((w) => `${w.kind}: ${w.message}`);
    expect(messages).toEqual([
      'corrupt-image: cat/cut.png (class cat) is corrupt: truncated: PNG ends without its IEND chunk',
      'corrupt-image: cat/empty.png (class cat) is corrupt: empty file',
      'corrupt-image: cat/garbage.png (class cat) is corrupt: not a PNG, JPEG, GIF, BMP, WebP or TIFF file',
      'duplicate: dog/copy.png has the same content as cat/good.png, labelled cat there but dog here',
      'corrupt-image: dog/cut.jpg (class dog) is corrupt: truncated: JPEG ends without its end-of-image marker',
      'extension-mismatch: dog/really-png.jpg (class dog) is a PNG file',
    ]);
    const last = progress.filter((p) => p.phase === 'validate').at(-1)!;
    expect(last).toEqual({ phase: 'validate', filesSeen: 8, total: 8 });
  });

  it('reports a PNG whose header the decoder rejects', async () => {
    const bad = Buffer.from(pngBytes(9));
    bad.fill(0xff, 16, 24); // IHDR width and height: 0xffffffff is not a valid size
    t.file('a/bad.png', bad);
    t.file('a/ok.png', pngBytes(8));
    const r = await analyzeDataset(t.root, { validate: true });
    expect(r.validation!.corrupt).toBe(1);
    expect(r.warnings[0]!.message).toMatch(/^a\/bad\.png \(class a\) is corrupt: cannot be decoded/);
  });

  it('reports manifest entries whose file is missing', async () => {
    t.file('img/a.png', pngBytes(1));
    t.file('train.txt', 'img/a.png 0\nimg/gone.png 1\n');
    const r = await analyzeDataset(t.root, { manifest: 'train.txt', validate: true });
    expect(r.validation).toMatchObject({ checked: 2, missing: 1, corrupt: 0 });
    const missing = r.warnings.filter((w) => w.kind === 'missing-file');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(/^img\/gone\.png \(class 1\) missing: ENOENT/);
  });

  it('counts a file reached through two names as a duplicate', async () => {
    t.file('a/x.png', pngBytes(1));
    t.dir('b');
    symlinkSync(t.path('a/x.png'), t.path('b/y.png'));
    const r = await analyzeDataset(t.root, { validate: true });
    expect(r.validation!.duplicates).toBe(1);
  });
});
