import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunRecord, readRun, writeRun, type RunRecord } from '../../../../src/core/runs';
import { importedRecord } from '../../../support/runRecords';

const root = mkdtempSync(path.join(tmpdir(), 'lade-runs-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeRun', () => {
  it('writes what readRun reads back, with no temporary file left', () => {
    const dir = mkdtempSync(path.join(root, 'r-'));
    const record = parseRunRecord(importedRecord('bs', { name: 'imported-bs' }), 'fixture');
    expect(writeRun(dir, record)).toBe(record);
    expect(readRun(dir).record).toEqual(record);
    expect(readdirSync(dir)).toEqual(['run.json']);
    expect(readFileSync(path.join(dir, 'run.json'), 'utf8')).toMatch(/^\{\n {2}"version": 2,/);
  });

  it('refuses a record it could not read back, leaving the old file', () => {
    const dir = mkdtempSync(path.join(root, 'r-'));
    const good = parseRunRecord(importedRecord('ce'), 'fixture');
    writeRun(dir, good);
    const bad = { ...good, trainCounts: [1] } as RunRecord;
    expect(() => writeRun(dir, bad)).toThrow(/run\.json: refusing to write an invalid run record/);
    expect(readRun(dir).record).toEqual(good);
  });
});
