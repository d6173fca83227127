import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/core/message';
import { HostToWorkerSchema, WorkerToHostSchema } from '../../../src/protocol/training';
import { TrainingViewHostMessageSchema, TrainingViewMessageSchema } from '../../../src/protocol/trainingView';
import { rejection } from './reject';

const progress = {
  phase: 'train',
  epoch: 1,
  epochs: 3,
  step: 2,
  steps: 10,
  loss: { total: 1.2 },
  accuracy: 0.4,
  lr: 0.05,
  imagesPerSec: 800,
  etaSec: 12,
  backend: 'wasm',
  backendReason: 'default',
};
const epoch = { epoch: 1, loss: 1.1, trainAccuracy: 0.5, valAccuracy: null, lr: 0.05, seconds: 2, imagesPerSec: 700 };

describe('training worker messages', () => {
  it('accepts progress, logs, epochs and errors, and names the field of a broken one', () => {
    for (const m of [{ type: 'progress', progress }, { type: 'log', level: 'warn', message: 'slow' }, { type: 'epoch', record: epoch }, { type: 'error', message: 'x' }]) {
      expect(checkMessage(WorkerToHostSchema, m, 'training worker')).toEqual(m);
    }
    expect(rejection(WorkerToHostSchema, { type: 'progress', progress: { ...progress, phase: 'sleep' } })).toContain("message 'progress', field 'progress.phase'");
    expect(rejection(WorkerToHostSchema, { type: 'epoch', record: { ...epoch, epoch: -1 } })).toContain("message 'epoch', field 'record.epoch'");
    expect(rejection(WorkerToHostSchema, { type: 'log', level: 'debug', message: '' })).toContain("message 'log', field 'level'");
  });

  it('accepts start and cancel from the host only', () => {
    expect(checkMessage(HostToWorkerSchema, { type: 'cancel' }, 'training worker (from host)')).toEqual({ type: 'cancel' });
    expect(rejection(HostToWorkerSchema, { type: 'start' })).toContain("message 'start', field 'config'");
    expect(rejection(HostToWorkerSchema, { type: 'stop' })).toContain("message 'stop', field 'type'");
  });
});

describe('training view messages', () => {
  it('reads NaN numbers that JSON turned into null back as NaN', () => {
    const run = { name: 'r', loss: 'lade', status: 'running', progress: { ...progress, loss: { total: null }, etaSec: null }, history: [{ ...epoch, loss: null }] };
    const m = checkMessage(TrainingViewHostMessageSchema, { type: 'setState', state: { runs: [run] } }, 'training view host');
    expect(m.state.runs[0]?.progress?.loss.total).toBeNaN();
    expect(m.state.runs[0]?.history[0]?.loss).toBeNaN();
    expect(rejection(TrainingViewHostMessageSchema, { type: 'setState', state: { runs: [{ ...run, status: 'paused' }] } })).toContain("field 'state.runs.0.status'");
  });

  it('accepts cancel and openResults with a run name', () => {
    expect(checkMessage(TrainingViewMessageSchema, { type: 'cancel', name: 'r' }, 'training view')).toEqual({ type: 'cancel', name: 'r' });
    expect(rejection(TrainingViewMessageSchema, { type: 'openResults' })).toContain("message 'openResults', field 'name'");
  });
});
