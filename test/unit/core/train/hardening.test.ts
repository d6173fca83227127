// Issue #12 for a training run: resume keeps the schedule it was started with, output is never replaced
// without asking, an undecodable image is skipped (up to a limit), and a class with no held-out image
// does not stop evaluation.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDataset } from '../../../../src/core/dataset';
import { evaluateRuns, loadRun, parsePriorSpec } from '../../../../src/core/train/runEvaluation';
import { trainRun } from '../../../../src/core/train/trainRun';
import { isUserError } from '../../../../src/core/userError';
import { makeTinyDataset, type TinyDataset } from './fixtures';

const tmp = (prefix: string): string => mkdtempSync(path.join(os.tmpdir(), prefix));
const base = { epochs: 2, batchSize: 16, size: 8, lr: 0.05, backend: 'wasm' as const, seed: 1 };

/**
 * Replaces a PNG's pixel data with a valid zlib stream of rows whose filter byte (255) does not exist, and
 * a correct checksum: every chunk is well formed, the image cannot be decoded.
 */
export function scramblePng(file: string): void {
  const buf = readFileSync(file);
  const ihdr = buf.subarray(8, 8 + 25);
  const width = ihdr.readUInt32BE(8);
  const height = ihdr.readUInt32BE(12);
  const data = deflateSync(Buffer.alloc(height * (1 + 4 * width), 0xff));
  const chunk = (type: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
    return Buffer.concat([head, body, crc]);
  };
  writeFileSync(file, Buffer.concat([buf.subarray(0, 8), ihdr, chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))]));
}

describe('resume', () => {
  let ds: TinyDataset;
  let dir: string;
  beforeAll(async () => {
    ds = makeTinyDataset();
    dir = tmp('lade-resume-');
    const controller = new AbortController();
    const rec = await trainRun(
      { ...base, dataDir: ds.root, outDir: dir },
      { signal: controller.signal, onProgress: (p) => p.phase === 'train' && p.epoch === 1 && controller.abort() },
    );
    expect(rec.status).toBe('cancelled');
  });

  it('refuses settings that would change the schedule, naming each and what the run has', async () => {
    const err = await trainRun({ dataDir: ds.root, outDir: dir, resume: true, epochs: 4, batchSize: 128 }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toMatch(/other settings: --epochs 4 \(the run has 2\), --batch 128 \(the run has 16\)/);
  });

  it('continues the saved schedule when only the run folder is given (the hint printed after Ctrl-C)', async () => {
    const lrs: number[] = [];
    const rec = await trainRun({ dataDir: ds.root, outDir: dir, resume: true }, { onProgress: (p) => p.phase === 'train' && lrs.push(p.lr) });
    expect(rec.status).toBe('completed');
    expect(rec.config.epochs).toBe(2);
    expect(rec.config.batchSize).toBe(16);
    expect(rec.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(lrs.length).toBeGreaterThan(0);
    expect(lrs.every((lr) => lr > 0)).toBe(true);
  });
});

describe('run folder', () => {
  let ds: TinyDataset;
  let finished: string;
  beforeAll(async () => {
    ds = makeTinyDataset([12, 6, 3], 2);
    finished = tmp('lade-done-');
    await trainRun({ ...base, epochs: 1, dataDir: ds.root, outDir: finished });
  });

  it('refuses to replace a finished run without force, and replaces it with force', async () => {
    const before = readFileSync(path.join(finished, 'run.json'), 'utf8');
    await expect(trainRun({ ...base, epochs: 1, dataDir: ds.root, outDir: finished })).rejects.toThrow(/holds a run; add --resume to continue it, --force to replace it/);
    expect(readFileSync(path.join(finished, 'run.json'), 'utf8')).toBe(before);
    const again = await trainRun({ ...base, epochs: 1, seed: 9, dataDir: ds.root, outDir: finished }, { force: true });
    expect(again.config.seed).toBe(9);
  });

  it('refuses a run folder inside the dataset, which would add a class', async () => {
    const inside = path.join(ds.root, 'train', 'run');
    await expect(trainRun({ ...base, dataDir: ds.root, outDir: inside })).rejects.toThrow(/inside the dataset/);
    expect(existsSync(inside)).toBe(false);
  });

  it('accepts a run under a hidden folder of the dataset (.lade/runs when the dataset is the workspace): the crawl skips it', async () => {
    const hidden = path.join(ds.root, '.lade', 'runs', 'r');
    const record = await trainRun({ ...base, dataDir: ds.root, outDir: hidden });
    expect(record.status).toBe('completed');
    expect(record.classes).not.toContain('.lade');
  }, 60_000);

  it('a run that fails leaves no run folder it created', async () => {
    const out = path.join(tmp('lade-fail-'), 'run');
    await expect(trainRun({ ...base, dataDir: path.join(ds.root, 'nope'), outDir: out })).rejects.toThrow(/no such folder/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('undecodable images', () => {
  it('are skipped with a warning naming them, and --validate reports them', async () => {
    const ds = makeTinyDataset([24, 12, 6], 2);
    const bad = path.join(ds.root, 'train', 'class0', '3.png');
    scramblePng(bad);
    const check = await analyzeDataset(ds.root, { validate: true });
    expect(check.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/class0\/3\.png \(class class0\) is corrupt: cannot be decoded/));
    const warnings: string[] = [];
    const out = tmp('lade-bad-');
    const rec = await trainRun({ ...base, epochs: 1, dataDir: ds.root, outDir: out, valFraction: 0 }, { onLog: (l, m) => l === 'warn' && warnings.push(m) });
    expect(rec.status).toBe('completed');
    expect(rec.trainCounts).toEqual([23, 12, 6]);
    expect(warnings).toContainEqual(expect.stringContaining(`skipped ${bad} (train): cannot decode it`));
  });

  it('stop the run past 1% of a split, naming the files', async () => {
    const ds = makeTinyDataset([12, 6, 3], 2);
    scramblePng(path.join(ds.root, 'train', 'class0', '1.png'));
    scramblePng(path.join(ds.root, 'train', 'class0', '2.png'));
    const out = tmp('lade-bad2-');
    const err = await trainRun({ ...base, epochs: 1, dataDir: ds.root, outDir: out }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toMatch(/2 of \d+ train images cannot be decoded, more than 1%: .*class0\/1\.png/);
  });
});

describe('evaluation with a class that has no held-out image', () => {
  it('evaluates the other classes and names the one left out, under uniform and shifted priors', async () => {
    // No val/ or test/: a class of one image has nothing to hold out; a class of 4 still gives one.
    const ds = makeTinyDataset([24, 4, 1], 0);
    const out = tmp('lade-heldout-');
    const rec = await trainRun({ ...base, epochs: 1, dataDir: ds.root, outDir: out });
    expect(rec.trainCounts).toEqual([22, 3, 1]);
    const run = loadRun(out);
    expect(run.split).toBe('val');
    for (const prior of ['uniform', 'backward:5']) {
      const e = evaluateRuns([run], parsePriorSpec(prior));
      expect(e.rows).toBeGreaterThan(0);
      expect(e.warnings).toEqual([expect.stringMatching(/1 class has no val images .* left out of the .* evaluation: class2$/)]);
      expect(Number.isFinite(e.results[0]!.metrics.expectedAccuracy)).toBe(true);
    }
    expect(readdirSync(out)).toContain('run.json');
  });
});
