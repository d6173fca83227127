import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/core/message';
import { AnalyzeHostMessageSchema, AnalyzeWebviewMessageSchema } from '../../../src/protocol/analyze';
import { rejection } from './reject';

const read = (raw: unknown) => checkMessage(AnalyzeWebviewMessageSchema, raw, 'analyze webview');

describe('analyze webview messages', () => {
  it('accepts each message of the contract and nothing more than its fields', () => {
    expect(read({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(read({ type: 'rescan', extra: 'dropped' })).toEqual({ type: 'rescan' });
    expect(read({ type: 'revealClass', className: 'cat' })).toEqual({ type: 'revealClass', className: 'cat' });
    expect(read({ type: 'export', format: 'csv' })).toEqual({ type: 'export', format: 'csv' });
  });

  it.each([
    [null, "message '(not an object)'"],
    [[{ type: 'ready' }], "message '(not an object)'"],
    [{}, "message '(no type)', field 'type'"],
    [{ type: 'runShell', cmd: 'rm -rf /' }, "message 'runShell', field 'type'"],
    [{ type: 'revealClass' }, "message 'revealClass', field 'className'"],
    [{ type: 'revealClass', className: 'x'.repeat(5000) }, "field 'className': Invalid length: Expected <=1024"],
    [{ type: 'export', format: 'exe' }, "message 'export', field 'format'"],
  ])('rejects %j naming the message and the field', (raw, expected) => {
    expect(rejection(AnalyzeWebviewMessageSchema, raw)).toContain(expected);
  });
});

describe('analyze host messages', () => {
  const result = {
    root: '/data/pets',
    layout: 'folder-per-class',
    primarySplit: null,
    classes: [{ name: 'cat', count: 3, share: 1, effectiveNumber: 3, shot: 'few' }],
    total: 3,
    imbalanceRatio: 1,
    gini: 0,
    entropy: 1,
    effectiveNumber: 3,
    options: { manyThreshold: 100, fewThreshold: 20, beta: 0.999 },
    shots: { many: [], medium: [], few: ['cat'] },
    splits: [],
    warnings: [{ kind: 'single-image-class', message: 'x' }],
    durationMs: 4,
  };

  it('accepts each state the panel shows', () => {
    for (const state of [{ status: 'loading', root: '/d', progress: { phase: 'scan', filesSeen: 10 } }, { status: 'ready', root: '/d', result }, { status: 'error', root: '/d', error: 'gone' }]) {
      expect(checkMessage(AnalyzeHostMessageSchema, { type: 'setState', state }, 'analyze host')).toEqual({ type: 'setState', state });
    }
  });

  it('rejects a result the page could not draw, naming the field', () => {
    const bad = { type: 'setState', state: { status: 'ready', root: '/d', result: { ...result, classes: [{ ...result.classes[0], count: -1 }] } } };
    expect(rejection(AnalyzeHostMessageSchema, bad)).toContain("message 'setState', field 'state.result.classes.0.count'");
  });
});
