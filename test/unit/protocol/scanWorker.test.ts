import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/core/message';
import { ScanHostMessageSchema, ScanWorkerMessageSchema } from '../../../src/protocol/scanWorker';
import { rejection } from './reject';

const job = { root: '/data', validate: false, ignore: ['*.tmp'], manyThreshold: 100, fewThreshold: 20, beta: 0.999 };

describe('scan worker messages', () => {
  it('accepts a job and a cancel from the host', () => {
    expect(checkMessage(ScanHostMessageSchema, { type: 'scan', job }, 'scan worker (from host)')).toEqual({ type: 'scan', job });
    expect(checkMessage(ScanHostMessageSchema, { type: 'cancel' }, 'scan worker (from host)')).toEqual({ type: 'cancel' });
    expect(rejection(ScanHostMessageSchema, { type: 'scan', job: { ...job, ignore: 'x' } })).toContain("message 'scan', field 'job.ignore'");
  });

  it('accepts progress and errors from the worker, and rejects what the host could not use', () => {
    const progress = { type: 'progress', progress: { phase: 'scan', filesSeen: 12 } };
    expect(checkMessage(ScanWorkerMessageSchema, progress, 'scan worker')).toEqual(progress);
    const error = { type: 'error', message: 'gone', cancelled: true };
    expect(checkMessage(ScanWorkerMessageSchema, error, 'scan worker')).toEqual(error);
    expect(rejection(ScanWorkerMessageSchema, { type: 'progress', progress: {} })).toContain("message 'progress', field 'progress.phase'");
    expect(rejection(ScanWorkerMessageSchema, { type: 'result', result: { classes: [] } })).toContain("message 'result', field 'result.root'");
  });
});
