// The prior editor and metrics panel contracts: what each side accepts, and the messages naming what is wrong.
import { describe, expect, it } from 'vitest';
import { parseMetricsHostMessage, parseMetricsWebviewMessage } from '../../../src/protocol/metricsPanel';
import { parsePriorEditorHostMessage, parsePriorEditorWebviewMessage } from '../../../src/protocol/priorEditor';
import { MessageError } from '../../../src/protocol/validate';

const readyState = {
  status: 'ready',
  context: { kind: 'run', runName: 'lade-1' },
  classes: [
    { name: 'a', trainCount: 300 },
    { name: 'b', trainCount: 10 },
  ],
  target: { label: 'uniform', shares: [0.5, 0.5] },
  perClassTestCount: 50,
  saved: [
    { name: 'deploy', status: 'ok', origin: 'import deploy.csv' },
    { name: 'broken', status: 'invalid', error: 'broken.json: not valid JSON' },
  ],
};

describe('prior editor messages', () => {
  it('accepts the webview messages and normalises the shares it sends', () => {
    expect(parsePriorEditorWebviewMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parsePriorEditorWebviewMessage({ type: 'targetChanged', prior: { label: 'edited', shares: [3, 1] } })).toEqual({
      type: 'targetChanged',
      prior: { label: 'edited', shares: [0.75, 0.25] },
    });
    expect(parsePriorEditorWebviewMessage({ type: 'savePrior', name: 'x', prior: { label: 'edited', shares: [1, 0] } })).toEqual({
      type: 'savePrior',
      name: 'x',
      prior: { label: 'edited', shares: [1, 0] },
    });
    expect(parsePriorEditorWebviewMessage({ type: 'loadPrior', name: 'deploy' })).toEqual({ type: 'loadPrior', name: 'deploy' });
  });

  it.each([
    [{ type: 'targetChanged' }, "field 'prior' must be an object"],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [1, -1] } }, 'shares[1] must be a finite number >= 0'],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [0, 0] } }, 'positive sum'],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [1, null] } }, 'shares[1]'],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [1], intervals: [[0]] } }, 'intervals[0] must be [lower, upper]'],
    [{ type: 'savePrior', name: 7, prior: { label: 'x', shares: [1] } }, "'name' must be a string"],
    [{ type: 'eval', code: '1' }, "unknown message type 'eval'"],
  ])('rejects %j', (raw, expected) => {
    expect(() => parsePriorEditorWebviewMessage(raw)).toThrow(MessageError);
    expect(() => parsePriorEditorWebviewMessage(raw)).toThrow(expected);
  });

  it('checks the host state the webview renders', () => {
    expect(parsePriorEditorHostMessage({ type: 'setState', state: readyState })).toEqual({ type: 'setState', state: readyState });
    expect(parsePriorEditorHostMessage({ type: 'applyPrior', prior: { label: 'est', shares: [1, 1], intervals: [[0.4, 0.6], null] } })).toEqual({
      type: 'applyPrior',
      prior: { label: 'est', shares: [0.5, 0.5], intervals: [[0.4, 0.6], null] },
    });
    expect(() => parsePriorEditorHostMessage({ type: 'setState', state: { ...readyState, target: { label: 'u', shares: [1] } } })).toThrow(
      'the target has 1 shares for 2 classes',
    );
    expect(() => parsePriorEditorHostMessage({ type: 'setState', state: { ...readyState, classes: [{ name: 'a', trainCount: 1.5 }] } })).toThrow(
      'trainCount must be a whole number',
    );
  });
});

describe('metrics panel messages', () => {
  const run = (name: string, classes = ['a', 'b']) => ({
    name,
    lossKind: 'lade',
    classes,
    trainCounts: [300, 10],
    split: 'test',
    numSamples: 20,
    logitsUrl: 'https://x/logits-test.bin',
    labelsUrl: 'https://x/labels-test.bin',
  });
  const state = (runs: unknown[]) => ({
    status: 'ready',
    available: [{ name: 'r1', lossKind: 'ce', numClasses: 2, splits: ['test'] }],
    runs,
    split: 'test',
    shots: { many: 100, few: 20 },
    perClassTestCount: 10,
  });

  it('accepts the webview messages', () => {
    expect(parseMetricsWebviewMessage({ type: 'selectRuns', names: ['a', 'b'] })).toEqual({ type: 'selectRuns', names: ['a', 'b'] });
    expect(parseMetricsWebviewMessage({ type: 'exportModel', run: 'a' })).toEqual({ type: 'exportModel', run: 'a' });
    expect(() => parseMetricsWebviewMessage({ type: 'selectRuns', names: [1] })).toThrow("'names' must be a list");
    expect(() => parseMetricsWebviewMessage({ type: 'deleteRun' })).toThrow("unknown message type 'deleteRun'");
  });

  it('accepts runs over the same classes only', () => {
    const ok = state([run('r1'), run('r2')]);
    expect(parseMetricsHostMessage({ type: 'setState', state: ok })).toEqual({ type: 'setState', state: ok });
    expect(() => parseMetricsHostMessage({ type: 'setState', state: state([run('r1'), run('r2', ['a', 'c'])]) })).toThrow('same classes');
    expect(() => parseMetricsHostMessage({ type: 'setState', state: state([{ ...run('r1'), lossKind: 'mse' }]) })).toThrow(
      "'lossKind' must be one of ce, lade, bs, la",
    );
    expect(parseMetricsHostMessage({ type: 'setTarget', prior: { label: 'u', shares: [2, 2] } })).toEqual({
      type: 'setTarget',
      prior: { label: 'u', shares: [0.5, 0.5] },
    });
  });
});
