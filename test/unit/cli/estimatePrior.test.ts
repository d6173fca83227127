// lade estimate-prior end to end on a fabricated run (test/support/estimateFixture.ts): a linear model
// that calls bright images class 1 and dark ones class 0, and a folder of PNGs with a known class mix.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/command';
import { run } from '../../../src/cli/estimatePrior';
import { logitsFor, writeEstimateFixture } from '../../support/estimateFixture';
import { writeNpz } from '../core/import/files';

let dir: string;
let runDir: string;
let images: string;

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { out: (t) => void (out += t), err: () => undefined, interactive: false };
  const code = await run(argv, io);
  return { code, out };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lade-estimate-'));
  ({ runDir, deploy: images } = await writeEstimateFixture(dir));
  writeFileSync(path.join(images, 'notes.txt'), 'ignored');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lade estimate-prior', () => {
  it('estimates the class mix of an image folder and reports it as JSON', async () => {
    const { code, out } = await capture([runDir, images, '--json', '--backend', 'cpu', '--bootstrap', '20']);
    expect(code).toBe(0);
    const r = JSON.parse(out) as { images: number; skipped: string[]; classes: string[]; prior: number[]; intervals: { lo: number[]; hi: number[] } };
    expect(r.images).toBe(40);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatch(/broken\.png/);
    expect(r.classes).toEqual(['dark', 'bright']);
    expect(r.prior[0]).toBeCloseTo(0.25, 2);
    expect(r.prior[1]).toBeCloseTo(0.75, 2);
    expect(r.intervals.lo[1]).toBeLessThanOrEqual(r.prior[1]!);
    expect(r.intervals.hi[1]).toBeGreaterThanOrEqual(r.prior[1]!);
  });

  it('prints a table and writes a prior file', async () => {
    const file = path.join(dir, 'deploy-estimate.json');
    const { code, out } = await capture([runDir, images, '--backend', 'cpu', '--bootstrap', '0', '--method', 'bbse', '--out', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/Estimated deployment prior of 40 images/);
    expect(out).toMatch(/bright\s+50\.0%\s+75\.0%/);
    expect(out).toMatch(/1 image\(s\) could not be decoded/);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { format: string; shares: Record<string, number>; origin: string };
    expect(saved.format).toBe('lade-prior');
    expect(saved.shares.bright).toBeCloseTo(0.75, 10);
    expect(saved.origin).toMatch(/estimated \(bbse\) from 40 images/);
  });

  it('calibrates on the split --split names, and says which', async () => {
    const text = await capture([runDir, images, '--backend', 'cpu', '--bootstrap', '0']);
    expect(text.out).toMatch(/^calibration on the val split \(40 images\): T = \d\.\d{3}, NLL /m);
    const { code, out } = await capture([runDir, images, '--json', '--backend', 'cpu', '--bootstrap', '0', '--split', 'test']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ split: 'test', splitImages: 60 });
  });

  it('estimates from the same logits saved to a file as from the images, without the model', async () => {
    const values = [...Array.from({ length: 10 }, (_, i) => 70 + i), ...Array.from({ length: 30 }, (_, i) => 185 + i)];
    const file = writeNpz(path.join(dir, 'deploy-logits.npz'), { logits: { descr: '<f4', shape: [40, 2], data: Float32Array.from(values.flatMap(logitsFor)) } });
    const args = ['--json', '--backend', 'cpu', '--bootstrap', '0'];
    const fromImages = JSON.parse((await capture([runDir, images, ...args])).out) as { prior: number[] };
    rmSync(path.join(runDir, 'model'), { recursive: true, force: true });
    const { code, out } = await capture([runDir, file, ...args]);
    expect(code).toBe(0);
    const fromFile = JSON.parse(out) as { images: number; skipped: string[]; prior: number[] };
    expect(fromFile.images).toBe(40);
    expect(fromFile.skipped).toEqual([]);
    fromFile.prior.forEach((p, c) => expect(p).toBeCloseTo(fromImages.prior[c]!, 6));
    await writeEstimateFixture(dir);
    const wide = writeNpz(path.join(dir, 'wide.npz'), { logits: { descr: '<f4', shape: [2, 3], data: new Float32Array(6) } });
    await expect(capture([runDir, wide])).rejects.toThrow(/wide\.npz: logits have 3 columns but there are 2 classes/);
  });

  it('rejects bad arguments with a usage message', async () => {
    await expect(capture([runDir])).rejects.toThrow(/expected a run folder and an image folder or logits file, got 1/);
    await expect(capture([runDir, images, '--method', 'mle'])).rejects.toThrow(/--method must be one of em-bcts, em, bbse/);
    await expect(capture([runDir, path.join(dir, 'missing')])).rejects.toThrow(/cannot read folder/);
    await expect(capture([path.join(dir, 'nope'), images])).rejects.toThrow(/is not a run folder: it has no run\.json/);
    await expect(capture([runDir, images, '--backend', 'cpu', '--bootstrap', '1.5'])).rejects.toThrow(/--bootstrap expects a whole number from 0 to 10000, got 1\.5/);
  });
});
