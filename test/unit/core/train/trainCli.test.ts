// `lade train` maps its flags onto the training configuration, prints a summary, and rejects bad flags.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/cli/command';
import { run } from '../../../../src/cli/train';
import { readRun } from '../../../../src/core/runs';
import { makeTinyDataset } from './fixtures';

function capture(): { io: { out: (t: string) => void; err: (t: string) => void; interactive: boolean }; out: () => string } {
  let out = '';
  return { io: { out: (t) => void (out += t), err: () => undefined, interactive: false }, out: () => out };
}

describe('lade train', () => {
  it('trains with the given flags and ends with a summary naming the run folder', async () => {
    const ds = makeTinyDataset();
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'lade-cli-')), 'run');
    const c = capture();
    const argv = [ds.root, '--out', dir, '--loss', 'bs', '--epochs', '1', '--batch', '8', '--size', '8', '--seed', '5', '--lr', '0.02', '--no-augment', '--backend', 'wasm'];
    expect(await run(argv, c.io)).toBe(0);
    expect(c.out()).toContain(`run completed: ${dir}`);
    expect(c.out()).toMatch(/test accuracy \(plain argmax\): \d+\.\d\d%/);
    const rec = readRun(dir).record;
    expect(rec.loss).toBe('bs');
    expect(rec.config).toMatchObject({ loss: 'bs', epochs: 1, batchSize: 8, size: 8, seed: 5, lr: 0.02, augment: false });
  });

  it('rejects a non-numeric flag and a missing folder argument', async () => {
    const c = capture();
    await expect(run(['data', '--epochs', 'many'], c.io)).rejects.toThrow(UsageError);
    await expect(run([], c.io)).rejects.toThrow(/expected one dataset folder/);
    await expect(run(['data', '--freeze'], c.io)).rejects.toThrow(/--freeze needs --finetune/);
  });
});
