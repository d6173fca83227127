import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countImages, listImages, newCrawlIssues, type CrawlFs } from '../../../../src/core/dataset/crawl';
import { TempTree } from './helpers';

let t: TempTree;
beforeEach(() => {
  t = new TempTree();
});
afterEach(() => t.remove());

/** Node's fs, except that listing `deny` fails with EACCES, as a folder without permission does. */
function denyingFs(deny: string): CrawlFs {
  return {
    readdirSync: (dir, options) => {
      if (dir === deny) throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
      return fs.readdirSync(dir, options);
    },
    statSync: (p) => fs.statSync(p),
    realpathSync: fs.realpathSync,
  };
}

describe('crawl', () => {
  it('records a folder it may not list and counts everything else', async () => {
    t.images('cls/ok', 3);
    t.images('cls/locked', 4);
    t.images('cls', 1);
    const issues = newCrawlIssues();
    const n = await countImages(t.path('cls'), { root: t.root, ignore: null, issues, fs: denyingFs(t.path('cls/locked')) });
    expect(n).toBe(4);
    expect([...issues.unreadable]).toEqual([t.path('cls/locked')]);
  });

  it('lists absolute paths in a stable sorted order and calls onFile per image', async () => {
    t.images('cls/b', 2);
    t.images('cls/a', 2);
    t.file('cls/readme.md', 'x');
    let seen = 0;
    const files = await listImages(t.path('cls'), { root: t.root, ignore: null, issues: newCrawlIssues(), onFile: () => seen++ });
    expect(files).toEqual(['a/0.png', 'a/1.png', 'b/0.png', 'b/1.png'].map((f) => t.path(`cls/${f}`)));
    expect(seen).toBe(4);
  });
});
