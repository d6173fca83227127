import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calibrationSplits, EstimateArgumentError, parseEstimateArgument, resolveRun, runProblem, splitProblem } from '../../../../src/extension/estimate/argument';
import { parseRunRecord, type RunFolder } from '../../../../src/core/runs';
import { recordV1 } from '../../../support/runRecords';

const root = mkdtempSync(path.join(tmpdir(), 'lade-estimate-arg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function info(name: string, extra: Partial<RunFolder> = {}): RunFolder {
  const dir = path.join(root, '.lade', 'runs', name);
  const split = { name: 'val', count: 4, logitsFile: path.join(dir, 'logits-val.bin'), labelsFile: path.join(dir, 'labels-val.bin'), filesFile: null };
  const file = path.join(dir, 'run.json');
  const record = parseRunRecord(recordV1('lade', { name, classes: ['cat', 'dog'], trainCounts: [30, 10], sourcePrior: [0.75, 0.25] }), file);
  return { name, dir, file, record, splits: [split], modelJson: path.join(dir, 'model', 'model.json'), ...extra };
}

describe('lade.estimatePrior argument', () => {
  it('is undefined without an argument, so the user is asked', () => {
    expect(parseEstimateArgument(undefined)).toBeUndefined();
    expect(parseEstimateArgument(null)).toBeUndefined();
  });

  it('reads run and folder, with em-bcts unless a method is named', () => {
    expect(parseEstimateArgument({ run: 'lade-cnn', folder: 'deploy' })).toEqual({ run: 'lade-cnn', folder: 'deploy', method: 'em-bcts', split: 'val' });
    expect(parseEstimateArgument({ run: 'r', folder: '/d', method: 'bbse', split: 'test' })).toEqual({ run: 'r', folder: '/d', method: 'bbse', split: 'test' });
  });

  it.each([
    ['deploy', 'got string'],
    [['r', 'd'], 'got a list'],
    [{ run: 'r', folder: 'd', bootstrap: 5 }, 'unknown field(s): bootstrap'],
    [{ folder: 'd' }, "field 'run' must be a non-empty string"],
    [{ run: 'r', folder: ' ' }, "field 'folder' must be a non-empty string"],
    [{ run: 'r', folder: 'd', method: 'mle' }, `field 'method' must be one of em-bcts, em, bbse, got "mle"`],
    [{ run: 'r', folder: 'd', split: '../val' }, `field 'split' must be a split name such as 'val' or 'test', got "../val"`],
  ])('rejects %j naming the field', (arg, expected) => {
    expect(() => parseEstimateArgument(arg)).toThrow(EstimateArgumentError);
    expect(() => parseEstimateArgument(arg)).toThrow(expected);
  });
});

describe('which run estimates', () => {
  it('needs cached labelled logits; a model is optional', () => {
    expect(runProblem(info('ok'))).toBeNull();
    // An imported run without a model estimates from the deployment logits in a file.
    expect(runProblem(info('no-model', { modelJson: null }))).toBeNull();
    expect(runProblem(info('no-val', { splits: [] }))).toMatch(/Run 'no-val' has no cached labelled logits/);
  });

  it('calibrates only on a split it has, and says which it has', () => {
    expect(splitProblem(info('ok'), 'val')).toBeNull();
    expect(splitProblem(info('ok'), 'test')).toBe("Run 'ok' has no cached 'test' logits (logits-test.bin, labels-test.bin) to calibrate on; it has val.");
  });

  it('lists its labelled splits, val first, with their size and smallest class', () => {
    const run = info('splits');
    mkdirSync(run.dir, { recursive: true });
    const split = (name: string, labels: number[]) => {
      const labelsFile = path.join(run.dir, `labels-${name}.bin`);
      const logitsFile = path.join(run.dir, `logits-${name}.bin`);
      writeFileSync(labelsFile, new Uint8Array(Int32Array.from(labels).buffer));
      writeFileSync(logitsFile, new Uint8Array(new Float32Array(labels.length * run.record.classes.length).buffer));
      return { name, count: labels.length, logitsFile, labelsFile, filesFile: null };
    };
    const withSplits = { ...run, splits: [split('test', [0, 0, 0, 1, 1]), split('val', [0, 1, 1, 1])] };
    expect(calibrationSplits(withSplits)).toEqual([
      { name: 'val', images: 4, fewest: 1, fewestClass: 'cat' },
      { name: 'test', images: 5, fewest: 2, fewestClass: 'dog' },
    ]);
  });

  it('finds a run by name, else reads a run folder, else names the runs there are', () => {
    const runs = [info('lade-cnn'), info('ce-cnn')];
    expect(resolveRun('ce-cnn', runs, root)).toBe(runs[1]);
    const dir = path.join(root, 'elsewhere', 'my-run');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(recordV1('ce', { name: 'my-run', classes: ['a', 'b'], trainCounts: [3, 4], sourcePrior: [3 / 7, 4 / 7] })));
    expect(resolveRun('elsewhere/my-run', runs, root)).toMatchObject({ name: 'my-run', dir, record: { loss: 'ce' }, modelJson: null });
    expect(resolveRun(dir, [], undefined).dir).toBe(dir);
    expect(() => resolveRun('bs-cnn', runs, root)).toThrow("no run named 'bs-cnn' in .lade/runs (runs: lade-cnn, ce-cnn)");
    expect(() => resolveRun('bs-cnn', [], root)).toThrow('there are none yet');
    expect(() => resolveRun('elsewhere/none', runs, root)).toThrow(/elsewhere\/none is not a run folder: it has no run\.json/);
  });
});
