import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriorError } from '../../../../src/core/priors';
import { listPriors, priorsDir, readPrior, writePrior } from '../../../../src/extension/priors/store';

function workspace(): string {
  return mkdtempSync(path.join(tmpdir(), 'lade-priors-'));
}

describe('.lade/priors store', () => {
  it('writes a reviewable file and reads it back', () => {
    const dir = priorsDir(workspace());
    const file = writePrior(dir, { name: 'backward-10', origin: 'preset backward-10', classes: ['a', 'b'], shares: [0.25, 0.75] });
    expect(path.basename(file)).toBe('backward-10.json');
    expect(readFileSync(file, 'utf8')).toContain('"a": 0.25');
    expect(readPrior(dir, 'backward-10')).toEqual({ name: 'backward-10', origin: 'preset backward-10', classes: ['a', 'b'], shares: [0.25, 0.75] });
    // A valid prior may be replaced by a newer version of itself.
    writePrior(dir, { name: 'backward-10', origin: 'edited', classes: ['a', 'b'], shares: [0.5, 0.5] });
    expect(readPrior(dir, 'backward-10').shares).toEqual([0.5, 0.5]);
  });

  it('lists invalid files with the problem and never overwrites them', () => {
    const dir = priorsDir(workspace());
    mkdirSync(dir, { recursive: true });
    writePrior(dir, { name: 'ok', origin: 'edited', classes: ['a'], shares: [1] });
    writeFileSync(path.join(dir, 'broken.json'), '{"format": "lade-prior", "version": 1, "name": "broken", "shares": {"a": -2}}');
    writeFileSync(path.join(dir, 'renamed.json'), JSON.stringify({ format: 'lade-prior', version: 1, name: 'other', shares: { a: 1 } }));
    writeFileSync(path.join(dir, 'notes.txt'), 'not a prior');
    expect(listPriors(dir)).toEqual([
      { name: 'broken', status: 'invalid', error: ".lade/priors/broken.json: shares of class 'a' must be a finite number >= 0, got -2." },
      { name: 'ok', status: 'ok', origin: 'edited' },
      { name: 'renamed', status: 'invalid', error: ".lade/priors/renamed.json: field \"name\" is 'other' but the file is named 'renamed.json'." },
    ]);
    const before = readFileSync(path.join(dir, 'broken.json'), 'utf8');
    expect(() => writePrior(dir, { name: 'broken', origin: 'edited', classes: ['a'], shares: [1] })).toThrow(/Not saved: .*broken\.json.*never overwritten/);
    expect(readFileSync(path.join(dir, 'broken.json'), 'utf8')).toBe(before);
  });

  it('refuses names that would leave the folder', () => {
    const dir = priorsDir(workspace());
    expect(() => writePrior(dir, { name: '../../evil', origin: 'x', classes: ['a'], shares: [1] })).toThrow(PriorError);
    expect(() => readPrior(dir, '../run')).toThrow('not a valid prior name');
    expect(() => readPrior(dir, 'missing')).toThrow('.lade/priors/missing.json: cannot be read (ENOENT)');
  });
});
