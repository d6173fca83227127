import { describe, expect, it } from 'vitest';
import { parseEstimateHostMessage, parseEstimateWorkerMessage, type PriorEstimate } from '../../../src/protocol/estimateWorker';
import { MessageError } from '../../../src/protocol/validate';

const estimate: PriorEstimate = {
  runDir: '/ws/.lade/runs/lade-cnn',
  folder: '/ws/deploy',
  method: 'em-bcts',
  calibrationSplit: 'val',
  calibrationImages: 120,
  backend: 'wasm',
  images: 40,
  skipped: ['broken.png: not a PNG or JPEG'],
  classes: ['cat', 'dog'],
  trainPrior: [0.75, 0.25],
  prior: [0.3, 0.7],
  intervals: { level: 0.95, resamples: 200, lo: [0.2, 0.6], hi: [0.4, 0.8] },
  warnings: ['Only 40 deployment images for 2 classes'],
  shiftViolated: false,
};

const job = { runDir: '/ws/.lade/runs/lade-cnn', split: 'test', folder: '/ws/deploy', method: 'em', backend: 'wasm', bootstrap: 200, seed: 0 };

/** The estimate with one field replaced (or removed with undefined). */
const withField = (key: string, value: unknown): Record<string, unknown> => ({ ...estimate, [key]: value });

describe('estimate worker messages, host -> worker', () => {
  it('accepts a start job and keeps only its fields', () => {
    expect(parseEstimateHostMessage({ type: 'start', job: { ...job, extra: 1 } })).toEqual({ type: 'start', job });
  });

  it.each([
    [{ type: 'cancel' }, "unknown message type 'cancel'"],
    [{ type: 'start' }, "field 'job' must be an object"],
    [{ type: 'start', job: { ...job, runDir: 3 } }, "field 'runDir' must be a string"],
    [{ type: 'start', job: { ...job, split: undefined } }, "field 'split' must be a string"],
    [{ type: 'start', job: { ...job, split: '../val' } }, "field 'split' must be a split name (letters, digits, _ and -)"],
    [{ type: 'start', job: { ...job, method: 'mle' } }, "field 'method' must be one of em-bcts, em, bbse"],
    [{ type: 'start', job: { ...job, backend: 'cuda' } }, "field 'backend' must be one of auto, wasm, cpu, webgpu, tensorflow"],
    [{ type: 'start', job: { ...job, bootstrap: 1.5 } }, "field 'bootstrap' must be a whole number >= 0"],
    [{ type: 'start', job: { ...job, seed: -1 } }, "field 'seed' must be a whole number >= 0"],
  ])('rejects %j naming the field', (raw, expected) => {
    expect(() => parseEstimateHostMessage(raw)).toThrow(MessageError);
    expect(() => parseEstimateHostMessage(raw)).toThrow(expected);
  });
});

describe('estimate worker messages, worker -> host', () => {
  it('accepts progress, a result with or without intervals, and errors', () => {
    const progress = { phase: 'bootstrap', done: 3, total: 200 };
    expect(parseEstimateWorkerMessage({ type: 'progress', progress })).toEqual({ type: 'progress', progress });
    expect(parseEstimateWorkerMessage({ type: 'result', estimate })).toEqual({ type: 'result', estimate });
    const plain = { ...estimate, intervals: null };
    expect(parseEstimateWorkerMessage({ type: 'result', estimate: plain })).toEqual({ type: 'result', estimate: plain });
    expect(parseEstimateWorkerMessage({ type: 'error', message: 'no PNG', input: true })).toEqual({ type: 'error', message: 'no PNG', input: true });
  });

  it.each([
    [{ type: 'log' }, "unknown message type 'log'"],
    [{ type: 'progress', progress: { phase: 'train', done: 0, total: 1 } }, "field 'phase' must be one of decode, infer, calibrate, estimate, bootstrap"],
    [{ type: 'progress', progress: { phase: 'infer', done: 5, total: 4 } }, 'progress done 5 > total 4'],
    [{ type: 'result' }, "field 'estimate' must be an object"],
    [{ type: 'result', estimate: withField('classes', []) }, 'estimate has no classes'],
    [{ type: 'result', estimate: withField('classes', ['cat', 7]) }, 'classes[1] must be a string'],
    [{ type: 'result', estimate: withField('prior', [0.3]) }, "field 'prior' has 1 entries for 2 classes"],
    [{ type: 'result', estimate: withField('prior', [0.3, Number.NaN]) }, 'prior[1] must be a finite number >= 0'],
    [{ type: 'result', estimate: withField('trainPrior', undefined) }, "field 'trainPrior' must be a list of numbers"],
    [{ type: 'result', estimate: withField('images', 2.5) }, "field 'images' must be a whole number >= 0"],
    [{ type: 'result', estimate: withField('calibrationSplit', 'val split') }, "field 'calibrationSplit' must be a split name"],
    [{ type: 'result', estimate: withField('calibrationImages', -1) }, "field 'calibrationImages' must be a whole number >= 0"],
    [{ type: 'result', estimate: withField('intervals', { level: 0.95, resamples: 10, lo: [0.5, 0.6], hi: [0.4, 0.8] }) }, "interval of class 'cat' is not 0 <= lo <= hi <= 1"],
    [{ type: 'result', estimate: withField('intervals', { level: 0.95, resamples: 10, lo: [0.2, 0.6], hi: [0.4, 1.2] }) }, "interval of class 'dog'"],
    [{ type: 'result', estimate: withField('intervals', undefined) }, "field 'intervals' must be an object"],
    [{ type: 'result', estimate: withField('shiftViolated', 'no') }, "field 'shiftViolated' must be a boolean"],
    [{ type: 'result', estimate: withField('method', 'mle') }, "field 'method' must be one of"],
    [{ type: 'error', message: 'x' }, "field 'input' must be a boolean"],
  ])('rejects %j naming the problem', (raw, expected) => {
    expect(() => parseEstimateWorkerMessage(raw)).toThrow(MessageError);
    expect(() => parseEstimateWorkerMessage(raw)).toThrow(expected);
  });
});
