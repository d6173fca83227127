// The prior editor and metrics panel contracts: what each side accepts, and the messages naming what is wrong.
import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/core/message';
import { MetricsHostMessageSchema, MetricsWebviewMessageSchema } from '../../../src/protocol/metricsPanel';
import { PriorEditorHostMessageSchema, PriorEditorWebviewMessageSchema } from '../../../src/protocol/priorEditor';
import { rejection } from './reject';

const parsePriorEditorWebviewMessage = (raw: unknown) => checkMessage(PriorEditorWebviewMessageSchema, raw, 'prior editor');
const parsePriorEditorHostMessage = (raw: unknown) => checkMessage(PriorEditorHostMessageSchema, raw, 'prior editor host');
const parseMetricsWebviewMessage = (raw: unknown) => checkMessage(MetricsWebviewMessageSchema, raw, 'metrics panel');
const parseMetricsHostMessage = (raw: unknown) => checkMessage(MetricsHostMessageSchema, raw, 'metrics host');

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
    [{ type: 'targetChanged' }, "message 'targetChanged', field 'prior'"],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [1, -1] } }, "field 'prior.shares.1'"],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [0, 0] } }, "field 'prior': the prior's shares must have a positive, finite sum"],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [1, null] } }, "field 'prior.shares.1'"],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [1], intervals: [[0]] } }, "field 'prior.intervals.0.1'"],
    [{ type: 'targetChanged', prior: { label: 'x', shares: [1, 1], intervals: [null] } }, 'one interval (or null) per share'],
    [{ type: 'savePrior', name: 7, prior: { label: 'x', shares: [1] } }, "message 'savePrior', field 'name'"],
    [{ type: 'eval', code: '1' }, "message 'eval', field 'type'"],
  ])('rejects %j', (raw, expected) => {
    expect(rejection(PriorEditorWebviewMessageSchema, raw)).toContain(expected);
  });

  it('checks the host state the webview renders', () => {
    expect(parsePriorEditorHostMessage({ type: 'setState', state: readyState })).toEqual({ type: 'setState', state: readyState });
    expect(parsePriorEditorHostMessage({ type: 'applyPrior', prior: { label: 'est', shares: [1, 1], intervals: [[0.4, 0.6], null] } })).toEqual({
      type: 'applyPrior',
      prior: { label: 'est', shares: [0.5, 0.5], intervals: [[0.4, 0.6], null] },
    });
    expect(rejection(PriorEditorHostMessageSchema, { type: 'setState', state: { ...readyState, target: { label: 'u', shares: [1] } } })).toContain(
      "message 'setState', field 'state.target': the target must have one share per class",
    );
    expect(rejection(PriorEditorHostMessageSchema, { type: 'setState', state: { ...readyState, classes: [{ name: 'a', trainCount: 1.5 }] } })).toContain(
      "field 'state.classes.0.trainCount'",
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
    expect(rejection(MetricsWebviewMessageSchema, { type: 'selectRuns', names: [1] })).toContain("message 'selectRuns', field 'names.0'");
    expect(rejection(MetricsWebviewMessageSchema, { type: 'deleteRun' })).toContain("message 'deleteRun', field 'type'");
  });

  it('accepts runs over the same classes only', () => {
    const ok = state([run('r1'), run('r2')]);
    expect(parseMetricsHostMessage({ type: 'setState', state: ok })).toEqual({ type: 'setState', state: ok });
    expect(rejection(MetricsHostMessageSchema, { type: 'setState', state: state([run('r1'), run('r2', ['a', 'c'])]) })).toContain(
      "field 'state.runs': the selected runs must have the same classes",
    );
    expect(rejection(MetricsHostMessageSchema, { type: 'setState', state: state([{ ...run('r1'), lossKind: 'mse' }]) })).toContain("field 'state.runs.0.lossKind'");
    expect(rejection(MetricsHostMessageSchema, { type: 'setState', state: state([{ ...run('r1'), trainCounts: [1] }]) })).toContain(
      "field 'state.runs.0.trainCounts': a run needs one training count per class",
    );
    expect(parseMetricsHostMessage({ type: 'setTarget', prior: { label: 'u', shares: [2, 2] } })).toEqual({
      type: 'setTarget',
      prior: { label: 'u', shares: [0.5, 0.5] },
    });
  });
});
