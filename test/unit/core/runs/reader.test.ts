// run.json through the one reader: both versions, the origin a version 1 file implies, the split files it
// resolves, and a message naming the file and the field for every field it rejects.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunRecord, readRun, RunFolderError } from '../../../../src/core/runs';
import { importedRecord, recordV1 } from '../../../support/runRecords';

const root = mkdtempSync(path.join(tmpdir(), 'lade-runs-reader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
function folder(record: unknown, files: readonly string[] = []): string {
  const dir = path.join(root, `run-${folders++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'run.json'), typeof record === 'string' ? record : JSON.stringify(record));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

describe('readRun', () => {
  it('reads a version 1 file as version 2: loss from config.loss, trained by one TF.js process', () => {
    const dir = folder(recordV1('bs', { name: 'old' }));
    const run = readRun(dir);
    expect(run).toMatchObject({ dir, file: path.join(dir, 'run.json'), name: 'old', modelJson: null, splits: [] });
    expect(run.record).toMatchObject({ version: 2, loss: 'bs', origin: { kind: 'trained', engine: 'tfjs', processes: 1 }, status: 'completed' });
    expect(run.record.config?.loss).toBe('bs');
  });

  it('fills training settings an older version 1 file lacks with their defaults', () => {
    const old = recordV1('ce');
    const { workers: _w, valFraction: _v, width: _x, ...config } = old.config as Record<string, unknown>;
    const run = readRun(folder({ ...old, config }));
    expect(run.record.config).toMatchObject({ loss: 'ce', workers: 1, valFraction: 0.1, width: 16 });
  });

  it('reads a version 2 file of imported logits, with no config, backend or history', () => {
    const dir = folder(importedRecord('la', { evalSplits: [{ name: 'val', count: 2 }] }), ['logits-val.bin', 'labels-val.bin', 'files-val.txt']);
    const run = readRun(dir);
    expect(run.record).toMatchObject({ version: 2, loss: 'la', origin: { kind: 'imported', source: 'logits', files: ['val.npz'] } });
    expect(run.record.config).toBeUndefined();
    expect(run.splits).toEqual([
      { name: 'val', count: 2, logitsFile: path.join(dir, 'logits-val.bin'), labelsFile: path.join(dir, 'labels-val.bin'), filesFile: path.join(dir, 'files-val.txt') },
    ]);
  });

  it('lists only the splits whose logits and labels are both there, and finds the model', () => {
    const splits = [
      { name: 'val', count: 1 },
      { name: 'test', count: 1 },
    ];
    const dir = folder(recordV1('lade', { evalSplits: splits }), ['logits-test.bin', 'labels-test.bin', 'logits-val.bin', 'model/model.json']);
    const run = readRun(dir);
    expect(run.splits.map((s) => [s.name, s.filesFile])).toEqual([['test', null]]);
    expect(run.modelJson).toBe(path.join(dir, 'model', 'model.json'));
  });

  it('takes the folder name when the record has none', () => {
    const dir = folder(importedRecord('ce', { name: '' }));
    expect(readRun(dir).name).toBe(path.basename(dir));
  });

  it('names the file when it is missing or not JSON', () => {
    const missing = path.join(root, 'nowhere');
    expect(() => readRun(missing)).toThrow(RunFolderError);
    expect(() => readRun(missing)).toThrow(`${missing} is not a run folder: it has no run.json`);
    const dir = folder('{"version": 2,');
    expect(() => readRun(dir)).toThrow(new RegExp(`^Cannot read run ${path.join(dir, 'run.json').replace(/[.\\]/g, '\\$&')}: `));
    expect(() => readRun(folder('[1, 2]'))).toThrow(/run\.json: expected a JSON object\.$/);
  });
});

describe('parseRunRecord rejects, naming the field', () => {
  const v1 = (fields: Record<string, unknown>) => recordV1('lade', fields);
  const v2 = (fields: Record<string, unknown>) => importedRecord('lade', fields);
  const trainedV2 = (fields: Record<string, unknown>): Record<string, unknown> => {
    const { version: _v, config, ...rest } = recordV1('lade');
    return { ...rest, version: 2, loss: 'lade', origin: { kind: 'trained', engine: 'torch', processes: 2 }, config, ...fields };
  };
  const { name: _n, ...nameless } = importedRecord('ce');

  it.each([
    ['version', v2({ version: 3 }), '"version" must be 1 or 2'],
    ['name', nameless, '"name" is missing'],
    ['name', v2({ name: 7 }), '"name" must be the run name'],
    ['status', v2({ status: 'done' }), '"status" must be one of completed, cancelled, failed, running'],
    ['status (v1)', v1({ status: 'failed' }), '"status" must be one of completed, cancelled'],
    ['loss', v2({ loss: 'focal' }), '"loss" must be one of ce, lade, bs, la'],
    ['config.loss (v1)', recordV1('focal'), '"config.loss" must be one of ce, lade, bs, la'],
    ['config (v1)', v1({ config: undefined }), '"config" is missing'],
    ['config.epochs', v1({ config: { ...(recordV1('ce').config as object), epochs: 0 } }), '"config.epochs" must be a whole number >= 1'],
    ['config.backend', v1({ config: { ...(recordV1('ce').config as object), backend: 'gpu' } }), '"config.backend" must be one of auto, wasm, cpu, webgpu, tensorflow'],
    ['origin', v2({ origin: { kind: 'borrowed' } }), '"origin.kind" must have kind trained or imported'],
    ['origin.engine', v2({ origin: { kind: 'trained', engine: 'jax', processes: 1 } }), '"origin.engine" must be one of tfjs, torch'],
    ['origin.processes', v2({ origin: { kind: 'trained', engine: 'torch', processes: 0 } }), '"origin.processes" must be a whole number >= 1'],
    ['origin.source', v2({ origin: { kind: 'imported', source: 'csv', files: [] } }), '"origin.source" must be one of logits, onnx'],
    ['origin.files', v2({ origin: { kind: 'imported', source: 'onnx', files: 'model.onnx' } }), '"origin.files" must be a list of file names'],
    ['classes', v2({ classes: [] }), '"classes" must be a non-empty list of class names'],
    ['classes item', v2({ classes: ['a', 2] }), '"classes.1" must be a non-empty list of class names'],
    ['trainCounts', v2({ trainCounts: [1, -1] }), '"trainCounts.1" must list one whole number >= 0 per class'],
    ['trainCounts length', v2({ trainCounts: [1, 2, 3] }), '"trainCounts" must list one whole number >= 0 per class (2)'],
    ['sourcePrior', v2({ sourcePrior: [1] }), '"sourcePrior" must list one probability per class (2)'],
    ['evalSplits', v2({ evalSplits: {} }), '"evalSplits" must be a list of splits'],
    ['evalSplits name', v2({ evalSplits: [{ name: '../x', count: 1 }] }), '"evalSplits.0.name" must be a plain split name such as val or test'],
    ['evalSplits count', v2({ evalSplits: [{ name: 'val', count: 1.5 }] }), '"evalSplits.0.count" must be a whole number >= 0'],
    ['finalAccuracy', v2({ finalAccuracy: { val: 'high' } }), '"finalAccuracy.val" must map split names to percentages'],
    ['input', v2({ input: { size: 0, channels: 1, mean: 0, std: 1 } }), '"input.size" must be a whole number >= 1'],
    ['history', trainedV2({ history: [{ epoch: 0 }] }), '"history.0.epoch" must be a whole number >= 1'],
    ['timings', v2({ timings: { scanMs: 'soon' } }), '"timings.scanMs" must map phases to milliseconds'],
    ['startedAt', v2({ startedAt: 5 }), '"startedAt" must be an ISO 8601 time'],
    ['error', v2({ status: 'failed' }), '"error" must say why a failed run failed'],
    ['config of an imported run', v2({ config: recordV1('lade').config }), '"config" is for trained runs only'],
    ['config.loss vs loss', trainedV2({ loss: 'bs' }), `"config.loss" must be the run's loss (bs)`],
    ['a TF.js run\'s config', trainedV2({ origin: { kind: 'trained', engine: 'tfjs', processes: 1 }, config: { ...(recordV1('lade').config as object), model: 'tv:resnet50' } }), '"config.model" must be one of cnn, resnet20'],
  ])('%s', (_field, raw, message) => {
    const file = '/runs/r/run.json';
    expect(() => parseRunRecord(raw, file)).toThrow(RunFolderError);
    expect(() => parseRunRecord(raw, file)).toThrow(`${file}: ${message}.`);
  });

  it("keeps the torch engine's own settings (torchvision models, tau, weights to fine-tune)", () => {
    const config = { ...(recordV1('la').config as object), model: 'tv:resnet18', tau: 1.5, finetune: { weights: 'w.pt', freezeBackbone: false } };
    const record = parseRunRecord(trainedV2({ loss: 'la', config }), 'run.json');
    expect(record.config).toMatchObject({ model: 'tv:resnet18', tau: 1.5, finetune: { weights: 'w.pt' } });
  });

  it('accepts a failed run that says why, and a running one without an end', () => {
    expect(parseRunRecord(trainedV2({ status: 'failed', error: 'CUDA out of memory' }), 'run.json')).toMatchObject({ status: 'failed', error: 'CUDA out of memory' });
    const { finishedAt: _f, ...running } = trainedV2({ status: 'running' });
    expect(parseRunRecord(running, 'run.json').finishedAt).toBeUndefined();
  });
});
