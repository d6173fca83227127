import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runName, runStamp } from '../../../../src/core/runs/naming';

describe('runName', () => {
  // Local time, as the user reads the clock.
  const at = new Date(2026, 11, 6, 11, 6, 5);

  it('is <dataset-folder>-<loss>-<YYYYMMDD-HHMMSS>', () => {
    expect(runStamp(at)).toBe('20261206-110605');
    expect(runName('/data/fashion-lt', 'lade', at)).toBe('fashion-lt-lade-20261206-110605');
    expect(runName('/data/fashion-lt/', 'ce', at)).toBe('fashion-lt-ce-20261206-110605');
  });

  it('names a relative dataset folder by its own name', () => {
    expect(runName('.', 'bs', at)).toBe(`${path.basename(process.cwd())}-bs-20261206-110605`);
  });

  it('pads every field, so names sort by time', () => {
    expect(runStamp(new Date(2027, 0, 2, 3, 4, 5))).toBe('20270102-030405');
    expect(runName('d', 'la', new Date(2026, 0, 1, 0, 0, 9)) < runName('d', 'la', new Date(2026, 0, 1, 0, 0, 10))).toBe(true);
  });
});
