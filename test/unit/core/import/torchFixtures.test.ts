// Runs scripts/make-import-fixtures.py afresh (PyTorch, numpy) and reads what it wrote: the readers see the
// values torch computed, and the script is deterministic (it reproduces the committed fixtures). Skipped
// where /usr/bin/python3 has no torch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPredictions } from '../../../../src/core/import';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
const out = mkdtempSync(path.join(os.tmpdir(), 'lade-import-torch-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Expected {
  classes: string[];
  labels: number[];
  logits: number[][];
  logitsFloat16: number[][];
  deployLogits: number[][];
}

describe.skipIf(!hasTorch)('fixtures made by PyTorch now', () => {
  it('read back as the logits and labels torch computed, equal to the committed fixtures', () => {
    const run = spawnSync(PYTHON, ['scripts/make-import-fixtures.py', '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const fresh = JSON.parse(readFileSync(path.join(out, 'expected.json'), 'utf8')) as Expected;
    const options = { labels: 'required', classes: fresh.classes } as const;
    for (const [file, key] of [['val.npz', 'logits'], ['val-f16.npz', 'logitsFloat16'], ['val.safetensors', 'logits'], ['val-f16.safetensors', 'logitsFloat16'], ['val.csv', 'logits']] as const) {
      const p = readPredictions(path.join(out, file), options);
      expect(Array.from(p.logits), file).toEqual(Array.from(Float32Array.from(fresh[key].flat())));
      expect(Array.from(p.labels!), file).toEqual(fresh.labels);
    }
    const committed = JSON.parse(readFileSync('test/fixtures/import/expected.json', 'utf8')) as Expected;
    expect(fresh.labels).toEqual(committed.labels);
    fresh.logits.flat().forEach((v, k) => expect(v).toBeCloseTo(committed.logits.flat()[k]!, 5));
  });
});
