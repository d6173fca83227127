// Property suite for issue #12: whatever trees, manifests, prior files and run folders the user hands the
// CLI, it either succeeds or answers with one line `lade <cmd>: ...` and exit 2: never a stack trace, never
// exit 1, and never a half-written (.tmp-) file left behind. In process (runCli) to stay fast; the spawned
// dist/cli.js cases are in errors.test.ts.
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/cli';
import { pngBytes } from '../core/dataset/helpers';
import { writeFakeRun } from './fakeRun';

const root = mkdtempSync(path.join(os.tmpdir(), 'lade-prop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const d = path.join(root, String(n++));
  mkdirSync(d, { recursive: true });
  return d;
};

function tmpFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-\d+$/.test(f));
}

/** Runs the CLI and checks the contract; returns the exit code. */
async function check(argv: readonly string[], dir: string): Promise<number> {
  let err = '';
  const io = { out: () => undefined, err: (t: string) => void (err += t), interactive: false };
  const code = await runCli(argv, io, {});
  const context = `${argv.join(' ')}\n${err}`;
  expect(code, context).not.toBe(1);
  expect(err, context).not.toMatch(/\n\s+at /);
  if (code === 2) {
    const lines = err.trimEnd().split('\n').filter((l) => !l.startsWith('warning: '));
    expect(lines, context).toHaveLength(1);
    expect(lines[0], context).toMatch(new RegExp(`^lade ${argv[0]}: \\S`));
  }
  expect(tmpFiles(dir), context).toEqual([]);
  return code;
}

const name = fc.stringMatching(/^[A-Za-z0-9_ .-]{1,8}$/).filter((s) => s.trim() === s && !s.startsWith('.') && s !== '..');
const share = fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -5, max: 1000 }), fc.constant(Number.POSITIVE_INFINITY), fc.string({ maxLength: 4 }));

describe('eval never shows a stack trace', () => {
  it('for any --prior spec', async () => {
    const run = writeFakeRun(path.join(fresh(), 'run'));
    const spec = fc.oneof(
      fc.tuple(fc.constantFrom('forward', 'backward', 'sideways', 'uniform', 'f'), fc.constantFrom(':', '-', ''), fc.string({ maxLength: 6 })).map(([a, b, c]) => a + b + c),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(fc.asyncProperty(spec, async (p) => void (await check(['eval', run, '--prior', p], run))), { numRuns: 60 });
  });

  it('for any prior file (lade-prior JSON, plain JSON, CSV)', async () => {
    const dir = fresh();
    const run = writeFakeRun(path.join(dir, 'run'));
    const entries = fc.array(fc.tuple(fc.oneof(fc.constantFrom('a', 'b', 'c'), name), share), { maxLength: 5 });
    const file = fc.oneof(
      entries.map((e) => ['p.json', JSON.stringify(Object.fromEntries(e.map(([k, v]) => [k, v])))] as const),
      entries.map((e) => ['p.json', JSON.stringify({ format: 'lade-prior', version: 1, name: 'x', origin: 'y', shares: Object.fromEntries(e) })] as const),
      entries.map((e) => ['p.csv', `class,share\n${e.map(([k, v]) => `${k},${String(v)}`).join('\n')}\n`] as const),
      fc.string({ maxLength: 40 }).map((t) => ['p.csv', t] as const),
    );
    await fc.assert(
      fc.asyncProperty(file, async ([f, text]) => {
        writeFileSync(path.join(dir, f), text);
        await check(['eval', run, '--prior', path.join(dir, f)], dir);
      }),
      { numRuns: 60 },
    );
  });

  it('for any damaged run folder', async () => {
    const field = fc.constantFrom('version', 'classes', 'trainCounts', 'sourcePrior', 'config', 'evalSplits', 'status');
    const value = fc.oneof(fc.constant(null), fc.constant('x'), fc.constant([]), fc.constant([1, -1, 'a']), fc.integer(), fc.constant({}));
    const damage = fc.record({ edits: fc.array(fc.tuple(field, value), { maxLength: 3 }), cutLogits: fc.option(fc.nat(130)), cutLabels: fc.option(fc.nat(40)), badLabel: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const run = writeFakeRun(path.join(fresh(), 'run'), d.badLabel ? { labels: [0, 1, 7] } : {});
        const rec = JSON.parse(readFileSync(path.join(run, 'run.json'), 'utf8')) as Record<string, unknown>;
        for (const [k, v] of d.edits) rec[k] = v;
        writeFileSync(path.join(run, 'run.json'), JSON.stringify(rec));
        const cut = (f: string, at: number | null): void => {
          if (at === null) return;
          const buf = readFileSync(path.join(run, f));
          writeFileSync(path.join(run, f), buf.subarray(0, at));
        };
        cut('logits-test.bin', d.cutLogits);
        cut('labels-test.bin', d.cutLabels);
        await check(['eval', run], run);
      }),
      { numRuns: 80 },
    );
  });
});

describe('analyze never shows a stack trace', () => {
  const entry = fc.record({
    cls: name,
    file: fc.tuple(name, fc.constantFrom('.png', '.jpg', '.webp', '.txt', '.PNG', '')).map(([a, b]) => a + b),
    kind: fc.constantFrom('png', 'garbage', 'dangling-link', 'empty-dir'),
  });
  it('for any folder tree (class folders, other files, dangling symlinks, empty classes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 8 }), fc.boolean(), async (entries, validate) => {
        const dir = fresh();
        for (const e of entries) {
          const cls = path.join(dir, e.cls);
          mkdirSync(cls, { recursive: true });
          const file = path.join(cls, e.file);
          try {
            if (e.kind === 'png') writeFileSync(file, pngBytes(3));
            else if (e.kind === 'garbage') writeFileSync(file, 'not an image');
            else if (e.kind === 'dangling-link') symlinkSync(path.join(dir, 'missing-target'), file);
          } catch {
            // The same name twice: keep the first.
          }
        }
        await check(['analyze', dir, ...(validate ? ['--validate'] : [])], dir);
      }),
      { numRuns: 40 },
    );
  });

  it('for any manifest', async () => {
    const line = fc.oneof(
      fc.tuple(name, fc.integer({ min: -2, max: 5 })).map(([f, l]) => `${f}.png ${l}`),
      fc.string({ maxLength: 20 }),
      fc.tuple(name, name).map(([f, c]) => `${f}.jpg,${c}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 6 }), fc.constantFrom('train.txt', 'train.csv'), async (lines, file) => {
        const dir = fresh();
        writeFileSync(path.join(dir, file), `${file.endsWith('.csv') ? 'path,label\n' : ''}${lines.join('\n')}\n`);
        await check(['analyze', dir, '--manifest', path.join(dir, file)], dir);
      }),
      { numRuns: 40 },
    );
  });
});
