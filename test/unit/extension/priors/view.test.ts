// The prior editor's host with a mocked vscode: state after the ready handshake, saving and loading
// .lade/priors files, imports, and the extension point for priors made elsewhere.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Uri, window, workspace, type WebviewView } from 'vscode';
import { LadeSession } from '../../../../src/extension/session';
import { PriorEditorView } from '../../../../src/extension/priors/view';

vi.mock('vscode');

interface Fake {
  view: WebviewView;
  posted: unknown[];
  send(m: unknown): Promise<void>;
}

function fakeView(): Fake {
  const posted: unknown[] = [];
  let handler: (m: unknown) => void = () => undefined;
  const view = {
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-webview://test',
      asWebviewUri: (u: Uri) => u,
      postMessage: async (m: unknown) => {
        posted.push(m);
        return true;
      },
      onDidReceiveMessage: (h: (m: unknown) => void) => {
        handler = h;
        return { dispose: () => undefined };
      },
    },
    onDidDispose: () => ({ dispose: () => undefined }),
  } as unknown as WebviewView;
  return {
    view,
    posted,
    send: async (m) => {
      handler(m);
      await new Promise((r) => setTimeout(r, 20));
    },
  };
}

const runContext = { source: { kind: 'run' as const, runName: 'lade-1' }, classes: ['cat', 'dog', 'owl'], trainCounts: [300, 50, 5], perClassTestCount: 20 };

describe('prior editor host', () => {
  let root: string;
  let session: LadeSession;
  let f: Fake;
  let editor: PriorEditorView;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lade-view-'));
    const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), dispose: vi.fn() };
    vi.spyOn(window, 'createOutputChannel').mockReturnValue(log as never);
    vi.spyOn(workspace, 'workspaceFolders', 'get').mockReturnValue([{ uri: Uri.file(root), name: 'ws', index: 0 }]);
    session = new LadeSession();
    f = fakeView();
    editor = new PriorEditorView(Uri.file('/ext'), session, () => []);
    editor.resolveWebviewView(f.view);
  });
  afterEach(() => vi.restoreAllMocks());

  it('sends nothing before ready, then the whole state; follows the run of the metrics panel', async () => {
    session.setContext(runContext);
    expect(f.posted).toEqual([]);
    expect((f.view.webview.html as string)).toContain("script-src 'nonce-");
    await f.send({ type: 'ready' });
    expect(f.posted.at(-1)).toEqual({
      type: 'setState',
      state: {
        status: 'ready',
        context: { kind: 'run', runName: 'lade-1' },
        classes: [
          { name: 'cat', trainCount: 300 },
          { name: 'dog', trainCount: 50 },
          { name: 'owl', trainCount: 5 },
        ],
        target: { label: 'uniform', shares: [1 / 3, 1 / 3, 1 / 3] },
        perClassTestCount: 20,
        saved: [],
      },
    });
    await f.send({ type: 'targetChanged', prior: { label: 'edited', shares: [1, 1, 2] } });
    expect(session.target).toEqual({ label: 'edited', shares: [0.25, 0.25, 0.5] });
    await f.send({ type: 'runCommand', command: 'rm' });
    expect(session.target?.label).toBe('edited');
  });

  it('saves a prior as a reviewable file, lists it, and loads it back', async () => {
    session.setContext(runContext);
    await f.send({ type: 'ready' });
    await f.send({ type: 'savePrior', name: 'deploy', prior: { label: 'backward-10', shares: [0.1, 0.3, 0.6] } });
    const file = path.join(root, '.lade', 'priors', 'deploy.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ name: 'deploy', origin: 'backward-10', shares: { cat: 0.1, dog: 0.3, owl: 0.6 } });
    const state = (f.posted.at(-1) as { state: { saved: unknown; notice: unknown } }).state;
    expect(state.saved).toEqual([{ name: 'deploy', status: 'ok', origin: 'backward-10' }]);
    expect(state.notice).toEqual({ level: 'info', text: `Saved ${path.join('.lade', 'priors', 'deploy.json')}.` });

    await f.send({ type: 'loadPrior', name: 'deploy' });
    expect(f.posted.at(-1)).toEqual({ type: 'applyPrior', prior: { label: 'deploy', shares: [0.1, 0.3, 0.6] } });
    expect(session.target?.label).toBe('deploy');
  });

  it('knows when the target is a hand edit not saved yet (the estimate asks before replacing it)', async () => {
    session.setContext(runContext);
    await f.send({ type: 'ready' });
    expect(editor.hasUnsavedEdit()).toBe(false);
    await f.send({ type: 'targetChanged', prior: { label: 'edited', shares: [1, 1, 2] } });
    expect(editor.hasUnsavedEdit()).toBe(true);
    await f.send({ type: 'savePrior', name: 'mine', prior: { label: 'edited', shares: [1, 1, 2] } });
    expect(editor.hasUnsavedEdit()).toBe(false);
    await f.send({ type: 'targetChanged', prior: { label: 'backward-10', shares: [0.1, 0.3, 0.6] } });
    expect(editor.hasUnsavedEdit()).toBe(false);
  });

  it('an invalid file shows its problem and is never overwritten', async () => {
    const dir = path.join(root, '.lade', 'priors');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'team.json'), '{ "format": "lade-prior", "version": 1, "name": "team", "shares": { "cat": "lots" } }');
    session.setContext(runContext);
    await f.send({ type: 'ready' });
    await f.send({ type: 'loadPrior', name: 'team' });
    const notice = (f.posted.at(-1) as { state: { notice: { level: string; text: string } } }).state.notice;
    expect(notice.level).toBe('error');
    expect(notice.text).toContain(`.lade/priors/team.json: shares of class 'cat' must be a finite number >= 0, got "lots".`);
    await f.send({ type: 'savePrior', name: 'team', prior: { label: 'x', shares: [1, 1, 1] } });
    expect((f.posted.at(-1) as { state: { notice: { text: string } } }).state.notice.text).toContain('never overwritten');
    expect(readFileSync(path.join(dir, 'team.json'), 'utf8')).toContain('"lots"');
  });

  it('imports a CSV of counts, naming classes it leaves at 0, and reports a bad file', async () => {
    session.setContext(runContext);
    await f.send({ type: 'ready' });
    const csv = path.join(root, 'deploy.csv');
    writeFileSync(csv, 'class,count\ncat,10\nowl,30\n');
    vi.spyOn(window, 'showOpenDialog').mockResolvedValue([Uri.file(csv)]);
    await f.send({ type: 'importFile' });
    expect(f.posted.at(-1)).toEqual({
      type: 'applyPrior',
      prior: { label: 'import deploy.csv', shares: [0.25, 0, 0.75] },
      notice: { level: 'info', text: 'import deploy.csv: 1 classes not mentioned get share 0 (dog).' },
    });
    writeFileSync(csv, 'class,count\ncat,10\nzebra,3\n');
    await f.send({ type: 'importFile' });
    expect((f.posted.at(-1) as { state: { notice: { text: string } } }).state.notice.text).toBe("import deploy.csv: class 'zebra' not among the 3 classes of this run.");
    expect(session.target?.shares).toEqual([0.25, 0, 0.75]);
  });

  it('applies a prior made elsewhere (e.g. estimated) with its intervals, in class order', async () => {
    const view = new PriorEditorView(Uri.file('/ext'), session, () => []);
    const g = fakeView();
    view.resolveWebviewView(g.view);
    session.setContext(runContext);
    await g.send({ type: 'ready' });
    await view.applyNamedPrior(
      { name: 'estimated', origin: 'estimated (em-bcts)', classes: ['owl', 'dog', 'cat'], shares: [0.5, 0.3, 0.2], intervals: [[0.4, 0.6], null, [0.1, 0.3]] },
      { save: true, notice: 'Estimated from 800 unlabelled images.' },
    );
    expect(g.posted.at(-1)).toEqual({
      type: 'applyPrior',
      prior: { label: 'estimated', shares: [0.2, 0.3, 0.5], intervals: [[0.1, 0.3], null, [0.4, 0.6]] },
      notice: { level: 'info', text: 'Estimated from 800 unlabelled images.' },
    });
    expect(readFileSync(path.join(root, '.lade', 'priors', 'estimated.json'), 'utf8')).toContain('"owl": [0.4, 0.6]');
  });
});
