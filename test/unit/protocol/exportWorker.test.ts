import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/core/message';
import { adjustment } from '../../../src/core/priors/adjustment';
import { targetPrior } from '../../../src/core/priors/target';
import { ExportHostMessageSchema, ExportWorkerMessageSchema } from '../../../src/protocol/exportWorker';
import { rejection } from './reject';

describe('export worker messages', () => {
  it('accepts done with the backend and error with its message', () => {
    const read = (raw: unknown) => checkMessage(ExportWorkerMessageSchema, raw, 'export worker');
    expect(read({ type: 'done', backend: { name: 'wasm', reason: 'default' } })).toEqual({ type: 'done', backend: { name: 'wasm', reason: 'default' } });
    expect(read({ type: 'error', message: "model.json: the last layer 'logits' has no bias" })).toEqual({ type: 'error', message: "model.json: the last layer 'logits' has no bias" });
  });

  it.each([
    [{ type: 'done' }, "message 'done', field 'backend'"],
    [{ type: 'done', backend: { name: 3, reason: '' } }, "field 'backend.name'"],
    [{ type: 'error' }, "message 'error', field 'message'"],
    [{ type: 'progress' }, "message 'progress', field 'type'"],
  ])('rejects %j', (raw, expected) => {
    expect(rejection(ExportWorkerMessageSchema, raw)).toContain(expected);
  });

  it('checks the job the worker receives, adjustment included', () => {
    const adj = adjustment({ name: 'r', lossKind: 'ce', classes: ['a', 'b'], trainCounts: [3, 1] }, targetPrior('uniform', [1, 1]));
    const job = { modelJson: '/r/model/model.json', outDir: '/out', backend: 'wasm', adjustment: adj };
    expect(checkMessage(ExportHostMessageSchema, { type: 'export', job }, 'export worker (from host)')).toEqual({ type: 'export', job });
    expect(rejection(ExportHostMessageSchema, { type: 'export', job: { ...job, backend: 'cuda' } })).toContain("field 'job.backend'");
    expect(rejection(ExportHostMessageSchema, { type: 'export', job: { ...job, adjustment: { ...adj, bias: [0, Number.NaN] } } })).toContain(
      "field 'job.adjustment.bias.1'",
    );
  });
});
