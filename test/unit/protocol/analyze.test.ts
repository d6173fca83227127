import { describe, expect, it } from 'vitest';
import { parseAnalyzeWebviewMessage } from '../../../src/protocol/analyze';
import { MessageError } from '../../../src/protocol/validate';

describe('analyze webview messages', () => {
  it('accepts each message of the contract and nothing more than its fields', () => {
    expect(parseAnalyzeWebviewMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseAnalyzeWebviewMessage({ type: 'rescan', extra: 'dropped' })).toEqual({ type: 'rescan' });
    expect(parseAnalyzeWebviewMessage({ type: 'revealClass', className: 'cat' })).toEqual({ type: 'revealClass', className: 'cat' });
    expect(parseAnalyzeWebviewMessage({ type: 'export', format: 'csv' })).toEqual({ type: 'export', format: 'csv' });
  });

  it.each([
    [null, 'not an object'],
    [[{ type: 'ready' }], 'not an object'],
    [{}, "no string 'type'"],
    [{ type: 'runShell', cmd: 'rm -rf /' }, "unknown message type 'runShell'"],
    [{ type: 'revealClass' }, "'className' must be a string"],
    [{ type: 'revealClass', className: 'x'.repeat(5000) }, 'longer than 1024'],
    [{ type: 'export', format: 'exe' }, "'format' must be one of json, csv"],
  ])('rejects %j with a message naming the problem', (raw, expected) => {
    expect(() => parseAnalyzeWebviewMessage(raw)).toThrow(MessageError);
    expect(() => parseAnalyzeWebviewMessage(raw)).toThrow(expected);
  });
});
