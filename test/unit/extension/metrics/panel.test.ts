// The metrics panel's host with a mocked vscode: which runs and split it offers the webview, the resource
// roots it opens, the session it drives, and the ready handshake.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Uri, window, workspace } from 'vscode';
import { MetricsPanels } from '../../../../src/extension/metrics/panel';
import { targetPrior } from '../../../../src/core/priors/target';
import { readRun, type RunFolder } from '../../../../src/core/runs';
import { recordV1 } from '../../../support/runRecords';
import { LadeSession } from '../../../../src/extension/session';

vi.mock('vscode');

function makeRun(root: string, name: string, loss: string, classes: string[], splits: Record<string, number[]>): RunFolder {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [split, labels] of Object.entries(splits)) {
    writeFileSync(path.join(dir, `labels-${split}.bin`), Buffer.from(Int32Array.from(labels).buffer));
    writeFileSync(path.join(dir, `logits-${split}.bin`), Buffer.from(new Float32Array(labels.length * classes.length).buffer));
  }
  const evalSplits = Object.entries(splits).map(([n, l]) => ({ name: n, count: l.length }));
  const trainCounts = classes.map((_, i) => 100 >> i);
  const total = trainCounts.reduce((a, b) => a + b, 0);
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(recordV1(loss, { name, classes, trainCounts, sourcePrior: trainCounts.map((n) => n / total), evalSplits })));
  return readRun(dir);
}

describe('metrics panel host', () => {
  let posted: unknown[];
  let options: { localResourceRoots?: Uri[] };
  let receive: (m: unknown) => void;
  let dispose: () => void;

  beforeEach(() => {
    posted = [];
    options = {};
    const webview = {
      get options() {
        return options;
      },
      set options(o) {
        options = o;
      },
      html: '',
      cspSource: 'vscode-webview://x',
      asWebviewUri: (u: Uri) => Uri.parse(`https://webview.test${u.path}`),
      postMessage: async (m: unknown) => posted.push(m),
      onDidReceiveMessage: (h: (m: unknown) => void) => {
        receive = h;
        return { dispose: () => undefined };
      },
    };
    const panel = {
      webview,
      reveal: vi.fn(),
      onDidDispose: (h: () => void) => {
        dispose = h;
        return { dispose: () => undefined };
      },
    };
    vi.spyOn(window, 'createWebviewPanel').mockReturnValue(panel as never);
    vi.spyOn(window, 'createOutputChannel').mockReturnValue({ info: vi.fn(), warn: vi.fn(), error: vi.fn() } as never);
    vi.spyOn(workspace, 'getConfiguration').mockReturnValue({ get: (_k: string, d: unknown) => d } as never);
  });
  afterEach(() => {
    dispose?.();
    vi.restoreAllMocks();
  });

  it('shows runs over the same classes on their common split, and follows the session target', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lade-panel-'));
    const lade = makeRun(root, 'lade-1', 'lade', ['a', 'b'], { val: [0, 1], test: [0, 1, 1, 0, 1] });
    const ce = makeRun(root, 'ce-1', 'ce', ['a', 'b'], { test: [1, 0, 0, 1, 1] });
    const session = new LadeSession();
    const onMessage = vi.fn();
    const panels = new MetricsPanels(Uri.file('/ext'), session);
    const panel = panels.show({ available: [lade, ce], runs: [lade, ce] }, onMessage);
    expect(panels.open).toBe(panel);
    expect(posted).toEqual([]);
    expect(options.localResourceRoots?.map((u) => u.fsPath)).toEqual([path.join('/ext', 'dist', 'webview'), lade.dir, ce.dir]);
    expect(session.context).toEqual({ source: { kind: 'run', runName: 'lade-1 + ce-1' }, classes: ['a', 'b'], trainCounts: [100, 50], perClassTestCount: 2 });

    receive({ type: 'ready' });
    const [setState, setTarget] = posted as [{ state: Record<string, unknown> }, unknown];
    expect(setState.state).toMatchObject({ status: 'ready', split: 'test', perClassTestCount: 2, shots: { many: 100, few: 20 } });
    expect((setState.state.runs as { logitsUrl: string; numSamples: number }[]).map((r) => [r.logitsUrl, r.numSamples])).toEqual([
      [`https://webview.test${Uri.file(path.join(lade.dir, 'logits-test.bin')).path}`, 5],
      [`https://webview.test${Uri.file(path.join(ce.dir, 'logits-test.bin')).path}`, 5],
    ]);
    expect(setTarget).toEqual({ type: 'setTarget', prior: { label: 'uniform', shares: [0.5, 0.5] } });
    session.setTarget(targetPrior('edited', [0.9, 0.1]));
    expect(posted.at(-1)).toEqual({ type: 'setTarget', prior: { label: 'edited', shares: [0.9, 0.1] } });

    receive({ type: 'exportModel' });
    receive({ type: 'exportModel', run: 'lade-1' });
    expect(onMessage.mock.calls.map((c) => c[0])).toEqual([{ type: 'ready' }, { type: 'exportModel', run: 'lade-1' }]);
    expect(vi.mocked(window.createOutputChannel).mock.results[0]?.value.warn).toHaveBeenCalledWith(
      `Ignored a message: metrics panel: message 'exportModel', field 'run': Invalid key: Expected "run" but received undefined`,
    );
    dispose();
    expect(panels.open).toBeUndefined();
  });

  it('tells waiters when its webview is ready, or gives up after the timeout', async () => {
    vi.useFakeTimers();
    try {
      const root = mkdtempSync(path.join(tmpdir(), 'lade-panel-'));
      const a = makeRun(root, 'a', 'lade', ['x', 'y'], { test: [0, 1] });
      const panel = new MetricsPanels(Uri.file('/ext'), new LadeSession()).show({ available: [a], runs: [a] }, vi.fn());
      const late = panel.whenReady(1000);
      await vi.advanceTimersByTimeAsync(1000);
      expect(await late).toBe(false);
      const waiting = panel.whenReady(1000);
      receive({ type: 'ready' });
      expect(await waiting).toBe(true);
      expect(await panel.whenReady(0)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says what is wrong with a selection instead of showing numbers', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lade-panel-'));
    const a = makeRun(root, 'a', 'lade', ['x', 'y'], { test: [0, 1] });
    const b = makeRun(root, 'b', 'ce', ['x', 'z'], { test: [0, 1] });
    const c = makeRun(root, 'c', 'ce', ['x', 'y'], { val: [0, 1] });
    const panel = new MetricsPanels(Uri.file('/ext'), new LadeSession()).show({ available: [a, b, c], runs: [a, b] }, vi.fn());
    receive({ type: 'ready' });
    expect(posted.at(-1)).toMatchObject({ type: 'setState', state: { status: 'error', error: "Run 'b' has different classes from 'a'; compare runs over the same classes." } });
    panel.select({ available: [a, b, c], runs: [a, c] });
    expect(posted.at(-1)).toMatchObject({ state: { status: 'error', error: 'The selected runs have no evaluation split with cached logits in common.' } });
    panel.select({ available: [a, b, c], runs: [] });
    expect(posted.at(-1)).toMatchObject({ state: { status: 'empty', message: 'Choose runs to compare.' } });
  });
});
