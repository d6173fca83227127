// Issue #12: every user error is one line `lade <cmd>: ...` and exit 2, whichever bundle threw it; a bug is
// exit 1 with its stack only on request; Ctrl-C is exit 130. The spawned cases run the built dist/cli.js,
// whose commands are separate bundles (dist/cli-<cmd>.js) with their own copies of every error class.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli as runInProcess } from '../../../src/cli/cli';
import { makeTinyDataset } from '../core/train/fixtures';
import { runCli } from './buildCli';
import { writeFakeRun } from './fakeRun';

const DIST_CLI = path.resolve('dist/cli.js');
const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'lade-err-'));
const STACK = /\n\s+at /;

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t), interactive: false }, out: () => out, err: () => err };
}

beforeAll(() => {
  if (!existsSync(DIST_CLI)) throw new Error('dist/cli.js is missing: run node esbuild.mjs (npm run build) first');
});

describe('built CLI (dist/cli.js, one bundle per command)', () => {
  it('a dataset error and a run-file error are one line and exit 2, not a stack trace', async () => {
    const dir = tmp();
    const missing = await runCli(DIST_CLI, ['analyze', path.join(dir, 'nope')]);
    expect([missing.code, missing.stderr]).toEqual([2, `lade analyze: no such folder: ${path.join(dir, 'nope')}\n`]);
    const run = writeFakeRun(path.join(dir, 'run'));
    writeFileSync(path.join(run, 'logits-test.bin'), readFileSync(path.join(run, 'logits-test.bin')).subarray(0, 37));
    const truncated = await runCli(DIST_CLI, ['eval', run]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toBe(`lade eval: ${path.join(run, 'logits-test.bin')} is truncated: 37 bytes is not a whole number of 4-byte values\n`);
  });

  it('bad priors are named as priors, not looked up as files; LADE_DEBUG=1 adds the stack', async () => {
    const run = writeFakeRun(path.join(tmp(), 'run'));
    const back = await runCli(DIST_CLI, ['eval', run, '--prior', 'backward:-5']);
    expect([back.code, back.stderr]).toEqual([2, "lade eval: prior 'backward:-5': the ratio after 'backward:' must be a number >= 1, got '-5'\n"]);
    const side = await runCli(DIST_CLI, ['eval', run, '--prior', 'sideways:3', '--debug']);
    expect(side.code).toBe(2);
    expect(side.stderr.split('\n')[0]).toBe("lade eval: unknown prior 'sideways:3': use uniform, forward:R, backward:R or a prior file");
    expect(side.stderr).toMatch(STACK);
  });

  it('Ctrl-C stops training with exit 130 and a resume hint that works as printed', async () => {
    const ds = makeTinyDataset([24, 12, 6], 2);
    const out = path.join(tmp(), 'run');
    const child = spawn(process.execPath, [DIST_CLI, 'train', ds.root, '--out', out, '--epochs', '200', '--batch', '8', '--size', '8', '--backend', 'wasm']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/epoch 1\/200:/.test(stderr)) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).not.toMatch(STACK);
    // Printed the way lade was started here (node and the script), so it runs as typed.
    const hint = /continue: node (\S+) train (\S+) --out (\S+) --resume/.exec(stdout);
    expect(hint?.slice(1)).toEqual([path.relative(process.cwd(), DIST_CLI), ds.root, out]);
    // Following the hint with a changed setting is refused (not trained at learning rate 0).
    const changed = await runCli(DIST_CLI, ['train', ds.root, '--out', out, '--resume', '--batch', '128']);
    expect([changed.code, changed.stderr]).toEqual([2, `lade train: cannot resume ${out} with other settings: --batch 128 (the run has 8); leave them out to continue the run as it was started\n`]);
  }, 60_000);
});

describe('runCli in process', () => {
  afterEach(() => vi.doUnmock('../../../src/cli/commands'));

  it('a bug exits 1 with one line and a hint; its stack only with --debug or LADE_DEBUG=1', async () => {
    vi.resetModules();
    vi.doMock('../../../src/cli/commands', () => ({
      COMMANDS: [{ name: 'boom', summary: '', load: async () => ({ usage: '', run: async () => (null as unknown as { x: number }).x }) }],
    }));
    const { runCli: fresh } = await import('../../../src/cli/cli');
    const plain = capture();
    expect(await fresh(['boom'], plain.io, {})).toBe(1);
    expect(plain.err()).toMatch(/^lade boom: internal error: Cannot read properties of null \(reading 'x'\)\nrun again with --debug \(or LADE_DEBUG=1\) for the stack trace\n$/);
    const debug = capture();
    expect(await fresh(['boom', '--debug'], debug.io, {})).toBe(1);
    expect(debug.err()).toMatch(STACK);
    const env = capture();
    expect(await fresh(['boom'], env.io, { LADE_DEBUG: '1' })).toBe(1);
    expect(env.err()).toMatch(STACK);
  });

  it('estimate-prior refuses to replace --out, and bounds --bootstrap', async () => {
    const dir = tmp();
    const out = path.join(dir, 'prior.json');
    writeFileSync(out, 'keep');
    const c = capture();
    expect(await runInProcess(['estimate-prior', dir, dir, '--out', out], c.io, {})).toBe(2);
    expect(c.err()).toBe(`lade estimate-prior: ${out} exists; add --force to replace it\n`);
    expect(readFileSync(out, 'utf8')).toBe('keep');
    const b = capture();
    expect(await runInProcess(['estimate-prior', dir, dir, '--bootstrap', '1e9'], b.io, {})).toBe(2);
    expect(b.err()).toBe('lade estimate-prior: --bootstrap expects a whole number from 0 to 10000, got 1e9\n');
  });

  it('a prior file naming only some classes warns, naming the rest', async () => {
    const dir = tmp();
    const run = writeFakeRun(path.join(dir, 'run'));
    const prior = path.join(dir, 'p.csv');
    writeFileSync(prior, 'class,share\na,0.7\nb,0.3\n');
    const c = capture();
    expect(await runInProcess(['eval', run, '--prior', prior], c.io, {})).toBe(0);
    expect(c.err()).toBe(`warning: ${prior} gives no share for 1 class, so they get share 0: c\n`);
  });
});
