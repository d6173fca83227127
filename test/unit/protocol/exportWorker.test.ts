import { describe, expect, it } from 'vitest';
import { parseExportWorkerMessage } from '../../../src/protocol/exportWorker';

describe('export worker messages', () => {
  it('accepts done with the backend and error with its message', () => {
    expect(parseExportWorkerMessage({ type: 'done', backend: { name: 'wasm', reason: 'default' } })).toEqual({ type: 'done', backend: { name: 'wasm', reason: 'default' } });
    expect(parseExportWorkerMessage({ type: 'error', message: "model.json: the last layer 'logits' has no bias" })).toEqual({
      type: 'error',
      message: "model.json: the last layer 'logits' has no bias",
    });
  });

  it.each([
    [{ type: 'done' }, "'backend' must be an object"],
    [{ type: 'done', backend: { name: 3, reason: '' } }, "field 'name' must be a string"],
    [{ type: 'error' }, "field 'message' must be a string"],
    [{ type: 'progress' }, "unknown message type 'progress'"],
  ])('rejects %j', (raw, message) => {
    expect(() => parseExportWorkerMessage(raw)).toThrow(message);
  });
});
