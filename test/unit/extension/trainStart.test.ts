import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runInput, startConfig, startFromArgument } from '../../../src/extension/training/start';
import { recordV1 } from '../../support/runRecords';

vi.mock('vscode');

function runDir(input: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lade-start-'));
  mkdirSync(path.join(dir, 'model'));
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(recordV1('lade', { input })));
  return dir;
}

describe('where training starts', () => {
  it('defaults to scratch, and maps fine-tune and retune to the worker config', () => {
    expect(startFromArgument({})).toEqual({ kind: 'scratch' });
    expect(startConfig({ kind: 'scratch' })).toEqual({});

    const ft = startFromArgument({ finetune: '/m/model.json', freeze: true });
    expect(startConfig(ft)).toEqual({ finetune: { modelJson: '/m/model.json', freezeBackbone: true } });

    const dir = runDir({ size: 28, channels: 1, mean: 0.5, std: 0.25 });
    const retune = startFromArgument({ retuneRun: dir });
    // A retuned head keeps the backbone frozen and sees the images as the backbone was trained on them.
    expect(startConfig(retune)).toEqual({
      finetune: { modelJson: path.join(dir, 'model', 'model.json'), freezeBackbone: true },
      retuneHead: true,
      size: 28,
      channels: 1,
    });
  });

  it.each([
    [{ finetune: 'model.bin' }, "'finetune' must be the path of a TF.js model.json"],
    [{ finetune: 'm.json', freeze: 'yes' }, "'freeze' must be true or false"],
    [{ finetune: 'm.json', retuneRun: '/r' }, "give either 'finetune' or 'retuneRun'"],
    [{ retuneRun: 3 }, "'retuneRun' must be a run folder"],
  ])('rejects %j naming the field', (arg, message) => {
    expect(() => startFromArgument(arg)).toThrow(message);
  });

  it('names run.json when the run cannot be retuned', () => {
    expect(() => runInput(runDir({ size: 28, channels: 2, mean: 0.5, std: 0.25 }))).toThrow(/run\.json: 'input' must hold an integer size and 1 or 3 channels/);
    expect(() => runInput(path.join(tmpdir(), 'no-such-run-lade'))).toThrow(/is not a run folder: it has no .*run\.json/);
    expect(() => runInput(runDir({ size: 28 }))).toThrow(/run\.json: "input.channels" is missing/);
  });
});
