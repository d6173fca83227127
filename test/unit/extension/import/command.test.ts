// lade.importRun with vscode mocked and the real workers bundled: the trust check, each picker of the logits
// and ONNX flows, the run that lands in .lade/runs (listed for Show Metrics with its origin), one-line user
// errors that leave no run folder, and cancel.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as vscode from 'vscode';
import { commands, Uri, window, workspace } from 'vscode';
import { registerImportRunCommand } from '../../../../src/extension/import/command';
import { listRuns } from '../../../../src/extension/metrics/runFolders';
import { runLabel } from '../../../../src/extension/metrics/runOrigin';
import type { ImportedRun } from '../../../../src/protocol/importWorker';
import { bundleNode, bundleOnnxWorker } from '../../../support/bundle';

vi.mock('vscode');

const IMPORT = path.resolve('test/fixtures/import');
const ONNX = path.resolve('test/fixtures/onnx');
const expected = JSON.parse(readFileSync(path.join(IMPORT, 'expected.json'), 'utf8')) as { accuracy: number; labels: number[] };
const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };
const mockWorkspace = workspace as unknown as { isTrusted: boolean; setWorkspaceFolders(f: unknown): void };
let extensionDir: string;
let root: string;
let command: () => Promise<ImportedRun | undefined>;

interface Item {
  readonly label: string;
}

/** Answers the quick picks in order by label (a prefix is enough); records what each offered. */
function answerPicks(labels: readonly string[]): Item[][] {
  const offered: Item[][] = [];
  let i = 0;
  vi.mocked(window.showQuickPick).mockImplementation((async (items: readonly Item[] | Thenable<readonly Item[]>) => {
    const list = await items;
    offered.push([...list]);
    const want = labels[i++];
    return want === undefined ? undefined : list.find((it) => it.label.startsWith(want));
  }) as never);
  return offered;
}

function answerDialogs(answers: readonly (readonly string[] | undefined)[]): vscode.OpenDialogOptions[] {
  const asked: vscode.OpenDialogOptions[] = [];
  let i = 0;
  vi.mocked(window.showOpenDialog).mockImplementation(async (options) => {
    asked.push(options!);
    return answers[i++]?.map((f) => Uri.file(f));
  });
  return asked;
}

/** Input boxes: each answer is a function of the options (to see the default), or undefined to cancel. */
function answerInputs(answers: readonly ((o: vscode.InputBoxOptions) => string | undefined)[]): vscode.InputBoxOptions[] {
  const asked: vscode.InputBoxOptions[] = [];
  let i = 0;
  vi.mocked(window.showInputBox).mockImplementation(async (options) => {
    asked.push(options!);
    return answers[i++]?.(options!);
  });
  return asked;
}

/** withProgress running the task at once; cancelOnReport cancels the token at the first progress report. */
function runProgress(cancelOnReport = false): string[] {
  const reports: string[] = [];
  vi.mocked(window.withProgress).mockImplementation(async (_options, task) => {
    const listeners: (() => void)[] = [];
    let cancelled = false;
    const token = {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested: (l: () => void) => {
        listeners.push(l);
        return { dispose: () => undefined };
      },
    };
    const progress = {
      report: (r: { message?: string }) => {
        reports.push(r.message ?? '');
        if (cancelOnReport && !cancelled) {
          cancelled = true;
          for (const l of listeners) l();
        }
      },
    };
    return task(progress, token as unknown as vscode.CancellationToken);
  });
  return reports;
}

const runsDir = (): string => path.join(root, '.lade', 'runs');
/** Everything in .lade/runs, hidden staging folders included. */
const runFolders = (): string[] => (existsSync(runsDir()) ? readdirSync(runsDir()).sort() : []);

beforeAll(async () => {
  // Under out/ (git-ignored), where the ONNX worker's external onnxruntime-node resolves from node_modules.
  mkdirSync('out', { recursive: true });
  extensionDir = mkdtempSync(path.resolve('out', 'import-command-'));
  const dist = path.join(extensionDir, 'dist');
  await bundleNode('src/extension/workers/import.worker.ts', path.join(dist, 'import.worker.js'));
  await bundleOnnxWorker(dist);
  vi.mocked(window.createOutputChannel).mockReturnValue(log as unknown as vscode.LogOutputChannel);
  registerImportRunCommand({ extensionUri: Uri.file(extensionDir) } as vscode.ExtensionContext);
  command = vi.mocked(commands.registerCommand).mock.calls.find((c) => c[0] === 'lade.importRun')![1] as typeof command;
}, 60_000);

afterAll(() => rmSync(extensionDir, { recursive: true, force: true }));

beforeEach(() => {
  vi.clearAllMocks();
  vi.restoreAllMocks();
  root = mkdtempSync(path.join(os.tmpdir(), 'lade-import-command-'));
  mockWorkspace.isTrusted = true;
  mockWorkspace.setWorkspaceFolders([{ uri: Uri.file(root), name: 'ws', index: 0 }]);
});

describe('lade.importRun', () => {
  it('needs a trusted workspace', async () => {
    mockWorkspace.isTrusted = false;
    expect(await command()).toBeUndefined();
    expect(window.showWarningMessage).toHaveBeenCalledWith(expect.stringContaining('needs a trusted workspace'), 'Manage Workspace Trust');
    expect(window.showQuickPick).not.toHaveBeenCalled();
  });

  it('imports logits files in the worker, names the splits, and offers Show Metrics for the new run', async () => {
    const picks = answerPicks(['Logits', 'A counts file', 'Balanced Softmax']);
    const dialogs = answerDialogs([[path.join(IMPORT, 'val.npz'), path.join(IMPORT, 'val-f16.safetensors')], [path.join(IMPORT, 'classes.txt')], [path.join(IMPORT, 'train-counts.json')]]);
    // val.npz is val by its name; the second val file needs a name (test is offered); then the run name.
    const inputs = answerInputs([(o) => o.value, () => 'torch-bs']);
    const reports = runProgress();
    vi.mocked(window.showInformationMessage).mockResolvedValue('Show Metrics' as never);

    const run = await command();

    expect(picks[0]!.map((i) => i.label)).toEqual(['ONNX model', 'Logits or predictions (.npz, .safetensors, CSV)']);
    expect(picks[2]!.map((i) => i.label)).toEqual(['Plain cross-entropy', 'LADE', 'Balanced Softmax', 'Logit-adjusted loss']);
    expect(dialogs[0]).toMatchObject({ canSelectMany: true, filters: { Predictions: ['npz', 'safetensors', 'csv'] } });
    expect(inputs[0]).toMatchObject({ title: 'LADE: split name for val-f16.safetensors', value: 'test' });
    expect(inputs[0]!.validateInput!('val')).toBe("Another file is already the 'val' split.");
    // The default run name: the predictions' folder, the loss and the time (core/runs/naming.ts).
    expect(inputs[1]!.value).toMatch(/^import-bs-\d{8}-\d{6}$/);
    expect(run).toEqual({
      name: 'torch-bs',
      numClasses: 3,
      splits: [
        { name: 'val', count: 24, accuracy: expected.accuracy },
        { name: 'test', count: 24, accuracy: expected.accuracy },
      ],
    });
    expect(reports).toEqual(['reading the val split', 'reading the test split']);
    expect(runFolders()).toEqual(['torch-bs']);
    // Listed with the trained runs, marked as imported.
    const listed = listRuns(root).runs;
    expect(listed.map((r) => [runLabel(r), r.record.loss, r.splits.map((s) => s.name).sort()])).toEqual([['torch-bs (imported logits)', 'bs', ['test', 'val']]]);
    expect(window.showInformationMessage).toHaveBeenCalledWith(`LADE: imported torch-bs (val 24 images, top-1 ${expected.accuracy.toFixed(2)}%; test 24 images, top-1 ${expected.accuracy.toFixed(2)}%).`, 'Show Metrics');
    await vi.waitFor(() => expect(commands.executeCommand).toHaveBeenCalledWith('lade.showMetrics', ['torch-bs']));
  });

  it('refuses a run name that exists, and stops without writing when a picker is dismissed', async () => {
    mkdirSync(path.join(runsDir(), 'taken'), { recursive: true });
    answerPicks(['Logits', 'A dataset folder', 'LADE']);
    answerDialogs([[path.join(IMPORT, 'val.csv')], [path.join(IMPORT, 'classes.txt')], [path.join(ONNX, 'data')]]);
    const inputs = answerInputs([() => undefined]);
    expect(await command()).toBeUndefined();
    // A dataset folder for the counts names the default run after the dataset.
    expect(inputs[0]!.value).toMatch(/^data-lade-\d{8}-\d{6}$/);
    expect(inputs[0]!.validateInput!('taken')).toBe('.lade/runs/taken already exists; choose another name.');
    expect(inputs[0]!.validateInput!('a/b')).toMatch(/no slashes/);
    expect(inputs[0]!.validateInput!('new')).toBeNull();
    expect(window.withProgress).not.toHaveBeenCalled();
    expect(runFolders()).toEqual(['taken']);
  });

  it('shows a file the classes do not fit as one line, and leaves no run folder', async () => {
    const twoClasses = path.join(root, 'two.txt');
    writeFileSync(twoClasses, 'cat\ndog\n');
    answerPicks(['Logits', 'A counts file', 'Plain']);
    answerDialogs([[path.join(IMPORT, 'val.npz')], [twoClasses], [path.join(IMPORT, 'train-counts.json')]]);
    answerInputs([() => 'bad']);
    runProgress();
    expect(await command()).toBeUndefined();
    const shown = vi.mocked(window.showErrorMessage).mock.calls[0]!;
    expect(shown[0]).toMatch(/^LADE: .*bird/);
    expect(String(shown[0])).not.toContain('\n');
    expect(shown.slice(1)).toEqual(['Open Log']);
    // A user error: its message, no stack, in the log.
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(runFolders()).toEqual([]);
  });

  it('cancels: the worker stops and neither the run nor its staging folder is left', async () => {
    answerPicks(['Logits', 'A counts file', 'Plain']);
    answerDialogs([[path.join(IMPORT, 'val.npz')], [path.join(IMPORT, 'classes.txt')], [path.join(IMPORT, 'train-counts.json')]]);
    answerInputs([() => 'cancelled']);
    runProgress(true);
    expect(await command()).toBeUndefined();
    expect(window.showErrorMessage).not.toHaveBeenCalled();
    expect(log.info).toHaveBeenCalledWith(expect.stringContaining('cancelled; no run was written'));
    await vi.waitFor(() => expect(runFolders()).toEqual([]));
  });

  it('imports an ONNX model over a dataset with the class folders sorted, marked (ONNX)', async () => {
    const picks = answerPicks(['ONNX model', 'Class folder names', 'LADE']);
    answerDialogs([[path.join(ONNX, 'tiny.onnx')], [path.join(ONNX, 'data')]]);
    answerInputs([() => 'tiny']);
    const reports = runProgress();
    const run = await command();
    expect(picks).toHaveLength(3);
    expect(run?.name).toBe('tiny');
    expect(run?.splits.map((s) => s.name)).toEqual(['val', 'test']);
    expect(reports.some((r) => /^val: running the model on \d+\/\d+ images$/.test(r))).toBe(true);
    const [listed] = listRuns(root).runs;
    expect(runLabel(listed!)).toBe('tiny (ONNX)');
    expect(listed!.record.classes).toEqual(['Dog', 'bird', 'cat']);
    expect(listed!.modelJson).toBe(path.join(runsDir(), 'tiny', 'model.onnx'));
  });

  it('shows an ONNX input error as one line', async () => {
    answerPicks(['ONNX model', 'Class folder names', 'LADE']);
    // The import fixtures are no dataset with train/ and val/.
    answerDialogs([[path.join(ONNX, 'tiny.onnx')], [IMPORT]]);
    answerInputs([() => 'nodata']);
    runProgress();
    expect(await command()).toBeUndefined();
    expect(vi.mocked(window.showErrorMessage).mock.calls[0]![0]).toMatch(/^LADE: dataset '.*import' has no train split/);
    // Shown as the user error it is: no stack in the log.
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(runFolders()).toEqual([]);
  });
});
