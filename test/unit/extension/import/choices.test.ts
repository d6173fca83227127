// The import command's pure choices: the split name a file suggests, split and run name checks, and the
// origin label imported runs carry in run pickers.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOSS_CHOICES, runNameProblem, splitNameProblem, suggestedSplitName } from '../../../../src/extension/import/choices';
import { originLabel, runLabel } from '../../../../src/extension/metrics/runOrigin';

const runsDir = mkdtempSync(path.join(os.tmpdir(), 'lade-import-choices-'));
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

describe('suggestedSplitName', () => {
  it.each([
    ['/p/val.npz', 'val'],
    ['/p/logits_valid.safetensors', 'val'],
    ['/p/Validation-preds.csv', 'val'],
    ['/p/test.npz', 'test'],
    ['/p/resnet32_test_logits.npz', 'test'],
    ['/p/preds.npz', undefined],
    ['/p/interval.npz', undefined],
    ['/p/latest.npz', undefined],
    ['/p/val_and_test.npz', undefined],
  ])('%s -> %s', (file, name) => expect(suggestedSplitName(file)).toBe(name));
});

describe('splitNameProblem', () => {
  it('takes plain, unused names only', () => {
    expect(splitNameProblem('holdout_2', ['val'])).toBeNull();
    expect(splitNameProblem('val', ['val'])).toBe("Another file is already the 'val' split.");
    expect(splitNameProblem('my split', [])).toMatch(/1-64 letters, digits, _ or -/);
    expect(splitNameProblem('', [])).toMatch(/1-64 letters/);
  });
});

describe('runNameProblem', () => {
  it('refuses empty names, paths, hidden names and runs that exist', () => {
    mkdirSync(path.join(runsDir, 'old'));
    expect(runNameProblem('new-run', runsDir)).toBeNull();
    expect(runNameProblem('  ', runsDir)).toBe('Give the run a name.');
    expect(runNameProblem('../x', runsDir)).toMatch(/no slashes, no leading dot/);
    expect(runNameProblem('.hidden', runsDir)).toMatch(/no leading dot/);
    expect(runNameProblem('old', runsDir)).toBe('.lade/runs/old already exists; choose another name.');
  });
});

describe('LOSS_CHOICES', () => {
  it('offers every loss a run records, plain cross-entropy first', () => {
    expect(LOSS_CHOICES.map((c) => c.loss)).toEqual(['ce', 'lade', 'bs', 'la']);
    expect(LOSS_CHOICES[0]!.detail).toMatch(/PC Softmax/);
  });
});

describe('originLabel', () => {
  it('marks imported runs by source and leaves trained runs plain', () => {
    const trained = { name: 'a', record: { origin: { kind: 'trained', engine: 'tfjs', processes: 1 } as const } };
    const logits = { name: 'b', record: { origin: { kind: 'imported', source: 'logits', files: ['v.npz'] } as const } };
    const onnx = { name: 'c', record: { origin: { kind: 'imported', source: 'onnx', files: ['m.onnx'] } as const } };
    expect([trained, logits, onnx].map((r) => originLabel(r.record))).toEqual([null, 'imported logits', 'ONNX']);
    expect([trained, logits, onnx].map(runLabel)).toEqual(['a', 'b (imported logits)', 'c (ONNX)']);
  });
});
