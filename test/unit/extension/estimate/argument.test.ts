import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EstimateArgumentError, parseEstimateArgument, resolveRun, runProblem } from '../../../../src/extension/estimate/argument';
import type { RunInfo } from '../../../../src/extension/metrics/runFolders';

const root = mkdtempSync(path.join(tmpdir(), 'lade-estimate-arg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function info(name: string, extra: Partial<RunInfo> = {}): RunInfo {
  const dir = path.join(root, '.lade', 'runs', name);
  const split = { name: 'val', count: 4, logitsFile: path.join(dir, 'logits-val.bin'), labelsFile: path.join(dir, 'labels-val.bin') };
  return { name, dir, lossKind: 'lade', classes: ['cat', 'dog'], trainCounts: [30, 10], splits: [split], modelJson: path.join(dir, 'model', 'model.json'), ...extra };
}

describe('lade.estimatePrior argument', () => {
  it('is undefined without an argument, so the user is asked', () => {
    expect(parseEstimateArgument(undefined)).toBeUndefined();
    expect(parseEstimateArgument(null)).toBeUndefined();
  });

  it('reads run and folder, with em-bcts unless a method is named', () => {
    expect(parseEstimateArgument({ run: 'lade-cnn', folder: 'deploy' })).toEqual({ run: 'lade-cnn', folder: 'deploy', method: 'em-bcts' });
    expect(parseEstimateArgument({ run: 'r', folder: '/d', method: 'bbse' })).toEqual({ run: 'r', folder: '/d', method: 'bbse' });
  });

  it.each([
    ['deploy', 'got string'],
    [['r', 'd'], 'got a list'],
    [{ run: 'r', folder: 'd', bootstrap: 5 }, 'unknown field(s): bootstrap'],
    [{ folder: 'd' }, "field 'run' must be a non-empty string"],
    [{ run: 'r', folder: ' ' }, "field 'folder' must be a non-empty string"],
    [{ run: 'r', folder: 'd', method: 'mle' }, `field 'method' must be one of em-bcts, em, bbse, got "mle"`],
  ])('rejects %j naming the field', (arg, expected) => {
    expect(() => parseEstimateArgument(arg)).toThrow(EstimateArgumentError);
    expect(() => parseEstimateArgument(arg)).toThrow(expected);
  });
});

describe('which run estimates', () => {
  it('needs a saved model and cached validation logits', () => {
    expect(runProblem(info('ok'))).toBeNull();
    expect(runProblem(info('no-model', { modelJson: null }))).toMatch(/Run 'no-model' has no saved model \(.*model\.json\)/);
    expect(runProblem(info('no-val', { splits: [] }))).toMatch(/Run 'no-val' has no cached validation logits/);
  });

  it('finds a run by name, else reads a run folder, else names the runs there are', () => {
    const runs = [info('lade-cnn'), info('ce-cnn')];
    expect(resolveRun('ce-cnn', runs, root)).toBe(runs[1]);
    const dir = path.join(root, 'elsewhere', 'my-run');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ name: 'my-run', config: { loss: 'ce' }, classes: ['a', 'b'], trainCounts: [3, 4], evalSplits: [] }));
    expect(resolveRun('elsewhere/my-run', runs, root)).toMatchObject({ name: 'my-run', dir, lossKind: 'ce', modelJson: null });
    expect(resolveRun(dir, [], undefined).dir).toBe(dir);
    expect(() => resolveRun('bs-cnn', runs, root)).toThrow("no run named 'bs-cnn' in .lade/runs (runs: lade-cnn, ce-cnn)");
    expect(() => resolveRun('bs-cnn', [], root)).toThrow('there are none yet');
    expect(() => resolveRun('elsewhere/none', runs, root)).toThrow(/elsewhere\/none\/run\.json/);
  });
});
