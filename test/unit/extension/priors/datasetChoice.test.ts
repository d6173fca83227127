// "Use a dataset's classes" in the prior editor with a mocked vscode: a dataset analysed in an open Label
// Distribution panel (or scanned earlier by the view) is offered first and reused without a rescan.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Uri, window, workspace, type QuickPickItem, type WebviewPanel, type WebviewView } from 'vscode';
import type { AnalyzeResult } from '../../../../src/core/dataset/types';
import { AnalyzePanels } from '../../../../src/extension/analyze/panel';
import { scanInWorker } from '../../../../src/extension/analyze/scanInWorker';
import { LadeSession } from '../../../../src/extension/session';
import { PriorEditorView } from '../../../../src/extension/priors/view';

vi.mock('vscode');
vi.mock('../../../../src/extension/analyze/scanInWorker', () => ({ scanInWorker: vi.fn() }));

function analysed(root: string, counts: Record<string, number>): AnalyzeResult {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    root,
    layout: 'flat',
    primarySplit: null,
    classes: Object.entries(counts).map(([name, count]) => ({ name, count, share: count / total })),
    total,
    durationMs: 1,
  } as unknown as AnalyzeResult;
}

/** A webview that records what it is sent and lets the test speak for it. */
function fakeWebview() {
  let handler: (m: unknown) => void = () => undefined;
  return {
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-webview://test',
      asWebviewUri: (u: Uri) => u,
      postMessage: async () => true,
      onDidReceiveMessage: (h: (m: unknown) => void) => {
        handler = h;
        return { dispose: () => undefined };
      },
    },
    send: async (m: unknown) => {
      handler(m);
      await new Promise((r) => setTimeout(r, 20));
    },
  };
}

/** Opens an Analyze panel for `result` through AnalyzePanels.show (createWebviewPanel mocked); returns its disposer. */
function openAnalyzePanel(panels: AnalyzePanels, result: AnalyzeResult): () => void {
  const w = fakeWebview();
  let disposed: () => void = () => undefined;
  const panel = {
    webview: w.webview,
    reveal: () => undefined,
    onDidDispose: (f: () => void) => {
      disposed = f;
      return { dispose: () => undefined };
    },
  } as unknown as WebviewPanel;
  vi.spyOn(window, 'createWebviewPanel').mockReturnValueOnce(panel);
  panels.show(result.root, () => undefined).setState({ status: 'ready', root: result.root, result });
  return () => disposed();
}

describe('prior editor: Use a dataset’s classes', () => {
  let session: LadeSession;
  let panels: AnalyzePanels;
  let send: (m: unknown) => Promise<void>;
  const closers: (() => void)[] = [];

  beforeEach(() => {
    // jest-mock-vscode's window functions are shared vi.fn()s: start each test with no recorded calls.
    vi.clearAllMocks();
    const root = mkdtempSync(path.join(tmpdir(), 'lade-view-'));
    vi.spyOn(window, 'createOutputChannel').mockReturnValue({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), dispose: vi.fn() } as never);
    vi.spyOn(workspace, 'workspaceFolders', 'get').mockReturnValue([{ uri: Uri.file(root), name: 'ws', index: 0 }]);
    session = new LadeSession();
    const w = fakeWebview();
    panels = new AnalyzePanels(Uri.file('/ext'));
    new PriorEditorView(Uri.file('/ext'), session, () => panels.scanned()).resolveWebviewView({ webview: w.webview, onDidDispose: () => ({ dispose: () => undefined }) } as unknown as WebviewView);
    send = w.send;
  });
  afterEach(() => {
    for (const close of closers.splice(0)) close();
    vi.restoreAllMocks();
  });

  it('offers the dataset of an open Label Distribution panel first and reuses its scan', async () => {
    closers.push(openAnalyzePanel(panels, analysed('/data/pets', { cat: 30, dog: 10 })));
    const pick = vi.spyOn(window, 'showQuickPick').mockImplementation((async (items: readonly QuickPickItem[]) => items[0]) as never);
    const dialog = vi.spyOn(window, 'showOpenDialog');
    await send({ type: 'ready' });
    await send({ type: 'useDataset' });

    const offered = (await pick.mock.calls[0]![0]) as readonly QuickPickItem[];
    expect(offered.map((i) => [i.label, i.description])).toEqual([
      ['pets', '2 classes · 40 images · Label Distribution panel'],
      ['Another folder…', 'scan a labelled folder'],
    ]);
    expect(session.context).toMatchObject({ source: { kind: 'dataset', root: '/data/pets' }, classes: ['cat', 'dog'], trainCounts: [30, 10] });
    expect(dialog).not.toHaveBeenCalled();
    expect(scanInWorker).not.toHaveBeenCalled();
  });

  it('without an analysed dataset asks for a folder, and offers that scan again next time', async () => {
    const pick = vi.spyOn(window, 'showQuickPick');
    vi.spyOn(window, 'showOpenDialog').mockResolvedValue([Uri.file('/data/birds')]);
    vi.spyOn(window, 'withProgress').mockImplementation(((_o: unknown, task: (p: unknown, t: unknown) => unknown) => task({ report: () => undefined }, {})) as never);
    vi.mocked(scanInWorker).mockResolvedValue(analysed('/data/birds', { owl: 5, jay: 15 }));
    await send({ type: 'ready' });
    await send({ type: 'useDataset' });
    expect(pick).not.toHaveBeenCalled();
    expect(scanInWorker).toHaveBeenCalledTimes(1);
    expect(session.context?.classes).toEqual(['owl', 'jay']);

    // With a panel open on another dataset, that comes first; the view's own scan follows, reused when picked.
    closers.push(openAnalyzePanel(panels, analysed('/data/pets', { cat: 30, dog: 10 })));
    pick.mockImplementation((async (items: readonly QuickPickItem[]) => items[1]) as never);
    await send({ type: 'useDataset' });
    const offered = (await pick.mock.calls[0]![0]) as readonly QuickPickItem[];
    expect(offered.map((i) => i.detail ?? i.label)).toEqual(['/data/pets', '/data/birds', 'Another folder…']);
    expect(offered[1]!.description).toBe('2 classes · 20 images · scanned earlier');
    expect(scanInWorker).toHaveBeenCalledTimes(1);
    expect(session.context?.classes).toEqual(['owl', 'jay']);

    // "Another folder…" scans as before.
    pick.mockImplementation((async (items: readonly QuickPickItem[]) => items.at(-1)) as never);
    await send({ type: 'useDataset' });
    expect(scanInWorker).toHaveBeenCalledTimes(2);
  });

  it('a closed panel is no longer offered', async () => {
    const close = openAnalyzePanel(panels, analysed('/data/pets', { cat: 30, dog: 10 }));
    expect(panels.scanned().map((r) => r.root)).toEqual(['/data/pets']);
    close();
    expect(panels.scanned()).toEqual([]);
  });
});
