// lade import through the built CLI (spawned): a run folder from PyTorch logits that lade eval and
// lade estimate-prior then read unchanged, and one-line refusals with exit code 2.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from './buildCli';

const FIXTURES = path.resolve('test/fixtures/import');
const fixture = (name: string): string => path.join(FIXTURES, name);
let cli: string;
let dir: string;

beforeAll(async () => {
  cli = await buildCli();
  dir = mkdtempSync(path.join(os.tmpdir(), 'lade-import-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.dirname(cli), { recursive: true, force: true });
});

const common = ['--classes', fixture('classes.txt'), '--train-counts', fixture('train-counts.json')];

describe('lade import (built CLI)', () => {
  it('imports PyTorch logits into a run that lade eval and lade estimate-prior read', async () => {
    const runDir = path.join(dir, 'torch-ce');
    const r = await runCli(cli, ['import', runDir, ...common, '--loss', 'ce', '--split', `val=${fixture('val.safetensors')}`, '--split', `test=${fixture('val.csv')}`, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as { accuracy: number };
    const record = JSON.parse(r.stdout) as { finalAccuracy: Record<string, number>; origin: unknown };
    expect(record.finalAccuracy.val).toBeCloseTo(expected.accuracy, 10);
    expect(record.origin).toEqual({ kind: 'imported', source: 'logits', files: [fixture('val.safetensors'), fixture('val.csv')] });

    const evaluated = await runCli(cli, ['eval', runDir, '--split', 'val', '--json']);
    expect(evaluated.stderr).toBe('');
    expect(evaluated.code).toBe(0);
    const [uniform] = JSON.parse(evaluated.stdout) as { results: { method: string; accuracy: number }[] }[];
    expect(uniform!.results.map((m) => m.method)).toEqual(['softmax', 'pc_softmax']);

    const estimated = await runCli(cli, ['estimate-prior', runDir, fixture('deploy.npz'), '--bootstrap', '0', '--json']);
    expect(estimated.stderr).toBe('');
    expect(estimated.code).toBe(0);
    const est = JSON.parse(estimated.stdout) as { images: number; prior: number[] };
    expect(est.images).toBe(24);
    expect(est.prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);

    const images = await runCli(cli, ['estimate-prior', runDir, path.resolve('samples/fashion-lt')]);
    expect(images.code).toBe(2);
    expect(images.stderr).toMatch(/has no model \(imported logits\): give the deployment images' logits as a \.npz, \.safetensors or CSV file/);
  });

  it.each([
    [['import', 'x', ...common, '--split', 'val=a.npz'], /^lade import: --loss is required/],
    [['import', 'x', ...common, '--loss', 'focal', '--split', 'val=a.npz'], /^lade import: --loss must be one of ce, lade, bs, la, got 'focal'/],
    [['import', 'x', ...common, '--loss', 'ce', '--split', 'val'], /^lade import: --split expects NAME=FILE, got 'val'/],
    [['import', 'x', ...common, '--loss', 'ce', '--split', '../v=a.npz'], /^lade import: --split name '\.\.\/v' must be/],
    [['import', 'x', ...common, '--loss', 'ce'], /^lade import: give at least one --split NAME=FILE/],
    [['import', 'x', '--classes', fixture('classes.txt'), '--train-counts', fixture('classes.txt'), '--loss', 'ce', '--split', `val=${fixture('val.npz')}`], /^lade import: .*classes\.txt: not valid JSON/],
    [['import', 'x', ...common, '--loss', 'ce', '--split', `val=${fixture('deploy.npz')}`], /^lade import: .*deploy\.npz has no array 'labels' \(it has: logits\)/],
  ])('refuses %j with one line and exit code 2', async (args, pattern) => {
    const r = await runCli(cli, args.map((a) => (a === 'x' ? path.join(dir, 'refused') : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(dir, 'refused'))).toBe(false);
  });

  it('replaces a run only with --force', async () => {
    const runDir = path.join(dir, 'again');
    const args = ['import', runDir, ...common, '--loss', 'lade', '--split', `val=${fixture('val-f16.npz')}`];
    expect((await runCli(cli, args)).code).toBe(0);
    const again = await runCli(cli, args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^lade import: .*again already exists; use --force to replace it\.\n$/);
    const forced = await runCli(cli, [...args, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^Imported 3 classes \(lade\) into .*again: val 24 images, top-1 75\.00%/);
  });
});
