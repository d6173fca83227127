import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/core/message';
import { EstimateHostMessageSchema, EstimateWorkerMessageSchema, type PriorEstimate } from '../../../src/protocol/estimateWorker';
import { rejection } from './reject';

const parseEstimateHostMessage = (raw: unknown) => checkMessage(EstimateHostMessageSchema, raw, 'estimate worker (from host)');
const parseEstimateWorkerMessage = (raw: unknown) => checkMessage(EstimateWorkerMessageSchema, raw, 'estimate worker');

const estimate: PriorEstimate = {
  runDir: '/ws/.lade/runs/lade-cnn',
  folder: '/ws/deploy',
  method: 'em-bcts',
  calibrationSplit: 'val',
  calibrationImages: 120,
  calibrationAccuracy: 0.9,
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
    [{ type: 'cancel' }, "message 'cancel', field 'type'"],
    [{ type: 'start' }, "message 'start', field 'job'"],
    [{ type: 'start', job: { ...job, runDir: 3 } }, "field 'job.runDir'"],
    [{ type: 'start', job: { ...job, split: undefined } }, "field 'job.split'"],
    [{ type: 'start', job: { ...job, split: '../val' } }, "field 'job.split': must be a split name (letters, digits, _ and -)"],
    [{ type: 'start', job: { ...job, method: 'mle' } }, "field 'job.method'"],
    [{ type: 'start', job: { ...job, backend: 'cuda' } }, "field 'job.backend'"],
    [{ type: 'start', job: { ...job, bootstrap: 1.5 } }, "field 'job.bootstrap'"],
    [{ type: 'start', job: { ...job, seed: -1 } }, "field 'job.seed'"],
  ])('rejects %j naming the field', (raw, expected) => {
    expect(rejection(EstimateHostMessageSchema, raw)).toContain(expected);
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
    [{ type: 'log' }, "message 'log', field 'type'"],
    [{ type: 'progress', progress: { phase: 'train', done: 0, total: 1 } }, "field 'progress.phase'"],
    [{ type: 'progress', progress: { phase: 'infer', done: 5, total: 4 } }, "field 'progress': progress done must not exceed total"],
    [{ type: 'result' }, "message 'result', field 'estimate'"],
    [{ type: 'result', estimate: withField('classes', []) }, "field 'estimate.classes'"],
    [{ type: 'result', estimate: withField('classes', ['cat', 7]) }, "field 'estimate.classes.1'"],
    [{ type: 'result', estimate: withField('prior', [0.3]) }, 'one entry per class'],
    [{ type: 'result', estimate: withField('prior', [0.3, Number.NaN]) }, "field 'estimate.prior.1'"],
    [{ type: 'result', estimate: withField('trainPrior', undefined) }, "field 'estimate.trainPrior'"],
    [{ type: 'result', estimate: withField('images', 2.5) }, "field 'estimate.images'"],
    [{ type: 'result', estimate: withField('calibrationSplit', 'val split') }, "field 'estimate.calibrationSplit': must be a split name"],
    [{ type: 'result', estimate: withField('calibrationImages', -1) }, "field 'estimate.calibrationImages'"],
    [{ type: 'result', estimate: withField('intervals', { level: 0.95, resamples: 10, lo: [0.5, 0.6], hi: [0.4, 0.8] }) }, "field 'estimate.intervals': every interval must be 0 <= lo <= hi <= 1"],
    [{ type: 'result', estimate: withField('intervals', { level: 0.95, resamples: 10, lo: [0.2, 0.6], hi: [0.4, 1.2] }) }, 'every interval must be 0 <= lo <= hi <= 1'],
    [{ type: 'result', estimate: withField('intervals', undefined) }, "field 'estimate.intervals'"],
    [{ type: 'result', estimate: withField('shiftViolated', 'no') }, "field 'estimate.shiftViolated'"],
    [{ type: 'result', estimate: withField('method', 'mle') }, "field 'estimate.method'"],
    [{ type: 'error', message: 'x' }, "message 'error', field 'input'"],
  ])('rejects %j naming the problem', (raw, expected) => {
    expect(rejection(EstimateWorkerMessageSchema, raw)).toContain(expected);
  });
});
