import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempTree } from '../core/dataset/helpers';
import { buildCli, runCli } from './buildCli';

const SAMPLE = path.resolve('samples/fashion-lt');
let cli: string;
let t: TempTree;

beforeAll(async () => {
  cli = await buildCli();
  t = new TempTree();
});
afterAll(() => {
  t.remove();
  rmSync(path.dirname(cli), { recursive: true, force: true });
});

describe('lade analyze (built CLI)', () => {
  it('--json prints one JSON object with the documented fields', async () => {
    const r = await runCli(cli, ['analyze', SAMPLE, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.total).toBe(1236);
    expect(out.imbalanceRatio).toBe(100);
    expect(out.classes).toContainEqual(expect.objectContaining({ name: 'T-shirt_top', count: 500 }));
    expect(out.shots).toEqual({
      many: ['Dress', 'Pullover', 'T-shirt_top', 'Trouser'],
      medium: ['Coat', 'Sandal', 'Shirt'],
      few: ['Ankle_boot', 'Bag', 'Sneaker'],
    });
    for (const key of ['gini', 'entropy', 'effectiveNumber']) expect(typeof out[key]).toBe('number');
    expect((out.splits as { name: string }[]).map((s) => s.name)).toEqual(['train', 'val', 'test']);
    expect(out.warnings).toEqual([]);
  });

  it('--many, --few and --beta change the shot groups and the effective number', async () => {
    const r = await runCli(cli, ['analyze', SAMPLE, '--json', '--many', '200', '--few', '10', '--beta', '0']);
    const out = JSON.parse(r.stdout) as { shots: { many: string[]; few: string[] }; effectiveNumber: number };
    expect(out.shots.many).toEqual(['T-shirt_top', 'Trouser']);
    expect(out.shots.few).toEqual(['Ankle_boot', 'Bag']);
    expect(out.effectiveNumber).toBe(10);
  });

  it('prints a readable table by default, most images first', async () => {
    const r = await runCli(cli, ['analyze', SAMPLE]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^(T-shirt_top|Ankle_boot)\s/.test(l));
    expect(rows[0]).toMatch(/^T-shirt_top\s+500\s+40\.5%/);
    expect(rows[1]).toMatch(/^Ankle_boot\s+5\s/);
    expect(r.stdout).toMatch(/imbalance ratio\s+100\.0/);
  });

  it('exits 2 with one line for a missing folder, a tree without images, a bad manifest line or a bad flag', async () => {
    const missing = await runCli(cli, ['analyze', t.path('nope')]);
    expect([missing.code, missing.stderr]).toEqual([2, `lade analyze: no such folder: ${t.path('nope')}\n`]);

    t.file('empty/a/readme.txt', 'x');
    const none = await runCli(cli, ['analyze', t.path('empty')]);
    expect([none.code, none.stderr]).toEqual([2, `lade analyze: no images found in ${t.path('empty')}\n`]);

    const list = t.file('lists/train.txt', 'a.png 0\nbroken\n');
    const bad = await runCli(cli, ['analyze', t.path('lists'), '--manifest', list]);
    expect([bad.code, bad.stderr]).toEqual([2, `lade analyze: ${list}:2: expected 'relative/path label', got 'broken'\n`]);

    const flag = await runCli(cli, ['analyze', SAMPLE, '--beta', 'high']);
    expect([flag.code, flag.stderr]).toEqual([2, "lade analyze: --beta expects a number, got 'high'\n"]);
    const range = await runCli(cli, ['analyze', SAMPLE, '--beta', '1']);
    expect([range.code, range.stderr]).toEqual([2, 'lade analyze: the effective-number beta (--beta) must be in [0, 1), got 1\n']);
    const twoDirs = await runCli(cli, ['analyze', SAMPLE, SAMPLE]);
    expect(twoDirs.code).toBe(2);
    expect(twoDirs.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reads a manifest given on the command line', async () => {
    t.file('m/train.csv', 'file,label\na.png,cat\nb.png,dog\nc.png,dog\n');
    const r = await runCli(cli, ['analyze', t.path('m'), '--manifest', t.path('m/train.csv'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ layout: 'csv-manifest', total: 3, imbalanceRatio: 2 });
  });
});

describe('lade help and dispatch', () => {
  it('lade --help lists analyze; lade analyze --help shows its options', async () => {
    const top = await runCli(cli, ['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^\s+analyze\s+Count images per class/m);
    const sub = await runCli(cli, ['analyze', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: lade analyze <dir>/);
    expect(sub.stdout).toContain('--validate');
  });

  it('exits 2 for an unknown command or none', async () => {
    const unknown = await runCli(cli, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^lade: unknown command 'frobnicate'/);
    const none = await runCli(cli, []);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: lade <command>/);
  });
});
