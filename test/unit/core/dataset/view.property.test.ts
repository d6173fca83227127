// Issue #12: analyze and train read a dataset through one view. For generated trees (with or without split
// folders, symlinked class folders, images in formats the trainer does not decode, dangling links, hidden
// files, empty classes), what analyze counts per class and split is exactly what train lists, and the
// held-out split takes from each class what holdOutValidation promises.
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDataset } from '../../../../src/core/dataset';
import { classCounts, holdOutValidation, listImageFolder } from '../../../../src/core/train/samples';

const base = mkdtempSync(path.join(os.tmpdir(), 'lade-view-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

const className = fc.constantFrom('ant', 'bee', 'cat', 'Dog', 'eel', 'fox');
const file = fc.record({
  cls: className,
  name: fc.stringMatching(/^[a-z0-9]{1,6}$/),
  ext: fc.constantFrom('png', 'jpg', 'JPEG', 'webp', 'gif', 'bmp', 'tif', 'txt'),
  depth: fc.constantFrom('', 'sub/'),
  hidden: fc.boolean(),
});
type TreeFile = { cls: string; name: string; ext: string; depth: string; hidden: boolean };
const tree = fc.record({
  split: fc.constantFrom<null | 'train' | 'training'>(null, 'train', 'training'),
  test: fc.array(file, { maxLength: 6 }),
  files: fc.array(file, { minLength: 1, maxLength: 30 }),
  emptyClass: fc.boolean(),
  linkedClass: fc.boolean(),
  dangling: fc.boolean(),
});

describe('one dataset view for analyze and train', () => {
  it('analyze counts per class and split equal what train lists and holds out', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const root = path.join(base, String(n++));
        const trainDir = t.split ? path.join(root, t.split) : root;
        const write = (dir: string, f: TreeFile): void => {
          const p = path.join(dir, f.cls, f.depth, `${f.hidden ? '.' : ''}${f.name}.${f.ext}`);
          mkdirSync(path.dirname(p), { recursive: true });
          writeFileSync(p, 'x');
        };
        t.files.forEach((f) => write(trainDir, f));
        if (t.split) t.test.forEach((f) => write(path.join(root, 'test'), f));
        if (t.emptyClass) mkdirSync(path.join(trainDir, 'zz_empty'), { recursive: true });
        if (t.linkedClass) {
          const elsewhere = path.join(base, `linked-${n}`);
          mkdirSync(elsewhere, { recursive: true });
          writeFileSync(path.join(elsewhere, 'a.png'), 'x');
          writeFileSync(path.join(elsewhere, 'b.webp'), 'x');
          mkdirSync(trainDir, { recursive: true });
          symlinkSync(elsewhere, path.join(trainDir, 'linked'));
        }
        if (t.dangling) symlinkSync(path.join(base, 'nowhere'), path.join(trainDir, t.files[0]!.cls, 'gone.png'));

        let analyzed: Awaited<ReturnType<typeof analyzeDataset>>;
        try {
          analyzed = await analyzeDataset(root);
        } catch (e) {
          // No trainable image at all: train refuses the same tree.
          await expect(listImageFolder(root)).rejects.toThrow();
          expect((e as Error).message).toMatch(/no images/);
          return;
        }
        const trainName = analyzed.primarySplit;
        const analyzeTrain = analyzed.classes.map((c) => c.count);
        let listing: Awaited<ReturnType<typeof listImageFolder>>;
        try {
          listing = await listImageFolder(root);
        } catch (e) {
          // Train needs two classes and one image; analyze describes anything with an image.
          expect((e as Error).message).toMatch(/at least two class folders|no PNG or JPEG images to train on/);
          expect(analyzed.classes.length < 2 || analyzeTrain.every((c) => c === 0)).toBe(true);
          return;
        }
        expect(listing.classes).toEqual(analyzed.classes.map((c) => c.name));
        const C = listing.classes.length;
        expect(classCounts(listing.splits.get('train')!, C)).toEqual(analyzeTrain);
        for (const s of analyzed.splits) {
          if (s.name === trainName) continue;
          expect(classCounts(listing.splits.get(s.name) ?? [], C)).toEqual(s.counts);
        }
        // Analyze warns about what train skips: other formats, dangling links, empty classes.
        expect(listing.warnings.map((w) => w.kind).sort()).toEqual(analyzed.warnings.map((w) => w.kind).sort());

        const held = holdOutValidation(listing.splits.get('train')!, C, 0.1, 0);
        const val = classCounts(held.val, C);
        const kept = classCounts(held.train, C);
        analyzeTrain.forEach((count, c) => {
          expect(kept[c]! + val[c]!).toBe(count);
          expect(val[c]).toBe(count >= 2 ? Math.max(1, Math.floor(count * 0.1)) : 0);
        });
      }),
      { numRuns: 60 },
    );
  });
});
