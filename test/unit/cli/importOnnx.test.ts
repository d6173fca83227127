// lade import --model end to end through the bundled CLI and worker: the run it writes is one that
// lade eval and lade estimate-prior read; bad input is one line and exit 2.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleNode, bundleOnnxWorker } from '../../support/bundle';
import { runCli } from './buildCli';

const FIXTURES = path.resolve('test/fixtures/onnx');
const DATA = path.join(FIXTURES, 'data');
let cli: string;
let dir: string;

beforeAll(async () => {
  // Next to the worker, under out/, where the external onnxruntime-node resolves.
  const worker = await bundleOnnxWorker();
  cli = await bundleNode('src/cli/main.ts', path.join(path.dirname(worker), 'cli.js'));
  dir = mkdtempSync(path.join(os.tmpdir(), 'lade-import-cli-'));
});
afterAll(() => {
  rmSync(path.dirname(cli), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('lade import --model', () => {
  it('imports an ONNX model that lade eval and lade estimate-prior then use', async () => {
    const runDir = path.join(dir, 'tiny');
    const imported = await runCli(cli, ['import', runDir, '--model', path.join(FIXTURES, 'tiny.onnx'), '--data', DATA, '--json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const record = JSON.parse(imported.stdout);
    expect(record).toMatchObject({ loss: 'ce', provider: { name: 'cpu' }, layout: 'NCHW', normalisation: 'metadata' });
    const evaluated = await runCli(cli, ['eval', runDir, '--split', 'val']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/softmax/);
    expect(evaluated.stdout).toMatch(/pc_softmax/);
    const estimated = await runCli(cli, ['estimate-prior', runDir, path.join(DATA, 'test'), '--bootstrap', '0', '--json']);
    expect(estimated.code).toBe(0);
    const estimate = JSON.parse(estimated.stdout);
    expect(estimate.images).toBe(5);
    expect(estimate.prior).toHaveLength(3);
    expect(estimate.prior.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('bad input: one line naming the problem, exit 2, nothing overwritten', async () => {
    const noData = await runCli(cli, ['import', path.join(dir, 'x'), '--model', path.join(FIXTURES, 'tiny.onnx')]);
    expect([noData.code, noData.stderr.trim()]).toEqual([2, 'lade import: --model needs --data DATASET (the labelled images to run it on)']);
    const badLoss = await runCli(cli, ['import', path.join(dir, 'x'), '--model', path.join(FIXTURES, 'tiny.onnx'), '--data', DATA, '--loss', 'focal']);
    expect(badLoss.code).toBe(2);
    expect(badLoss.stderr).toMatch(/--loss must be one of ce, lade, bs, la, got 'focal'/);
    const notOnnx = await runCli(cli, ['import', path.join(dir, 'x'), '--model', path.join(DATA, 'val', 'cat', '0.png'), '--data', DATA]);
    expect(notOnnx.code).toBe(2);
    expect(notOnnx.stderr.trim().split('\n')).toHaveLength(1);
    expect(notOnnx.stderr).toMatch(/0\.png/);
    expect(existsSync(path.join(dir, 'x'))).toBe(false);
    const again = await runCli(cli, ['import', path.join(dir, 'tiny'), '--model', path.join(FIXTURES, 'tiny.onnx'), '--data', DATA]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists and is not empty; pass --force/);
  });
});
