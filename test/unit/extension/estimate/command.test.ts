// lade.estimatePrior with vscode mocked: the trust check, argument errors, the quick pick and folder picker,
// the real worker under withProgress, the hand-over to the prior editor, warnings, and cancel.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as vscode from 'vscode';
import { commands, Uri, window, workspace } from 'vscode';
import { registerEstimatePriorCommand, type EstimatePriorOutcome } from '../../../../src/extension/estimate/command';
import type { NamedPrior } from '../../../../src/core/priors/files';
import type { MetricsPanel, MetricsPanels } from '../../../../src/extension/metrics/panel';
import type { PriorEditorView } from '../../../../src/extension/priors/view';
import { buildEstimateWorker, writeEstimateFixture, type EstimateFixture } from './fixture';

vi.mock('vscode');

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };
let root: string;
let fixture: EstimateFixture;
let command: (arg?: unknown) => Promise<EstimatePriorOutcome | undefined>;
/** The metrics panel the command sees (none until a test opens one), and what the prior editor was handed. */
let openPanel: MetricsPanel | undefined;
const applyNamedPrior = vi.fn<(prior: NamedPrior, options?: { notice?: string }) => Promise<void>>(async () => undefined);
/** Whether the editor holds a hand-edited target not saved yet. */
const hasUnsavedEdit = vi.fn(() => false);
const mockWorkspace = workspace as unknown as { isTrusted: boolean; setWorkspaceFolders(f: unknown): void };

interface Report {
  readonly message?: string;
  readonly increment?: number;
}

/** withProgress that runs the task at once; cancelAfter reports cancels the token. */
function runProgress(reports: Report[], cancelAfter = Number.POSITIVE_INFINITY): void {
  vi.mocked(window.withProgress).mockImplementation(async (_options, task) => {
    const listeners: (() => void)[] = [];
    let cancelled = false;
    const token = { get isCancellationRequested() { return cancelled; }, onCancellationRequested: (l: () => void) => listeners.push(l) };
    const progress = {
      report: (r: Report) => {
        reports.push(r);
        if (reports.length >= cancelAfter && !cancelled) {
          cancelled = true;
          for (const l of listeners) l();
        }
      },
    };
    return task(progress, token as unknown as vscode.CancellationToken);
  });
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'lade-estimate-command-'));
  await buildEstimateWorker(path.join(root, 'dist'));
  fixture = await writeEstimateFixture(root);
  vi.mocked(window.createOutputChannel).mockReturnValue(log as unknown as vscode.LogOutputChannel);
  const metrics = { get open() { return openPanel; } } as MetricsPanels;
  const priorEditor = { applyNamedPrior, hasUnsavedEdit } as unknown as PriorEditorView;
  registerEstimatePriorCommand({ extensionUri: Uri.file(root) } as vscode.ExtensionContext, { metrics, priorEditor });
  const registered = vi.mocked(commands.registerCommand).mock.calls.find((c) => c[0] === 'lade.estimatePrior');
  command = registered![1] as typeof command;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  vi.clearAllMocks();
  vi.restoreAllMocks();
  openPanel = undefined;
  vi.mocked(commands.executeCommand).mockImplementation(async () => undefined);
  mockWorkspace.isTrusted = true;
  mockWorkspace.setWorkspaceFolders([{ uri: Uri.file(root), name: 'ws', index: 0 }]);
});

describe('lade.estimatePrior', () => {
  it('needs a trusted workspace', async () => {
    mockWorkspace.isTrusted = false;
    expect(await command({ run: 'fixture', folder: fixture.deploy })).toBeUndefined();
    expect(window.showWarningMessage).toHaveBeenCalledWith(expect.stringContaining('needs a trusted workspace'), 'Manage Workspace Trust');
    expect(window.withProgress).not.toHaveBeenCalled();
  });

  it('shows what is wrong with an argument and runs nothing', async () => {
    expect(await command({ run: 'fixture', folder: 'deploy', method: 'mle' })).toBeUndefined();
    expect(window.showErrorMessage).toHaveBeenCalledWith(expect.stringContaining("field 'method' must be one of em-bcts, em, bbse"), 'Open Log');
    expect(await command({ run: 'lade-cnn', folder: 'deploy' })).toBeUndefined();
    expect(window.showErrorMessage).toHaveBeenLastCalledWith("LADE: lade.estimatePrior: no run named 'lade-cnn' in .lade/runs (runs: fixture).", 'Open Log');
    expect(window.withProgress).not.toHaveBeenCalled();
  });

  it('says to train first when no run can estimate', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    mockWorkspace.setWorkspaceFolders([{ uri: Uri.file(empty), name: 'empty', index: 0 }]);
    expect(await command()).toBeUndefined();
    expect(window.showWarningMessage).toHaveBeenCalledWith(expect.stringContaining('no finished run with validation logits'));
    expect(window.showQuickPick).not.toHaveBeenCalled();
  });

  it('asks for a run and a folder, estimates in the worker and hands the prior to the editor', async () => {
    vi.mocked(window.showQuickPick).mockImplementation(async (items) => (await items)[0]);
    vi.mocked(window.showOpenDialog).mockResolvedValue([Uri.file(fixture.deploy)]);
    const order: string[] = [];
    const whenReady = vi.fn(async () => {
      order.push('panel ready');
      return true;
    });
    vi.mocked(commands.executeCommand).mockImplementation(async (id: string) => {
      order.push(id);
      if (id === 'lade.showMetrics') openPanel = { selected: { runs: [{ dir: fixture.runDir }] }, whenReady } as unknown as MetricsPanel;
      return undefined;
    });
    applyNamedPrior.mockImplementationOnce(async () => {
      order.push('applyNamedPrior');
    });
    const reports: Report[] = [];
    runProgress(reports);

    const outcome = await command();

    expect(vi.mocked(window.showQuickPick).mock.calls[0]![0]).toEqual([expect.objectContaining({ label: 'fixture', description: 'ce · 2 classes' })]);
    expect(outcome?.applied).toBe(true);
    expect(outcome?.name).toMatch(/^estimated-deploy-\d{8}-\d{4}$/);
    const estimate = outcome!.estimate;
    expect(estimate.prior[1]).toBeCloseTo(0.75, 2);
    expect(estimate.intervals?.resamples).toBe(200);
    expect(vi.mocked(window.withProgress).mock.calls[0]![0]).toMatchObject({ location: vscode.ProgressLocation.Notification, cancellable: true });
    const messages = reports.map((r) => r.message ?? '');
    for (const phase of [/^decoding images/, /^running the model/, /^calibrating/, /^EM on/, /^bootstrap \d+\/200/]) expect(messages.some((m) => phase.test(m))).toBe(true);
    expect(reports.reduce((a, r) => a + (r.increment ?? 0), 0)).toBeCloseTo(100, 6);

    const calls = vi.mocked(commands.executeCommand).mock.calls.map((c) => c[0]);
    expect(calls).toEqual(['lade.showMetrics', 'lade.priorEditor.focus']);
    // The prior view's webview starts loading only once the metrics panel's has.
    expect(order).toEqual(['lade.showMetrics', 'panel ready', 'applyNamedPrior', 'lade.priorEditor.focus']);
    expect(vi.mocked(commands.executeCommand).mock.calls[0]![1]).toEqual(['fixture']);
    const applied = applyNamedPrior.mock.calls[0]![0];
    expect(applied.name).toBe(outcome?.name);
    expect(applied.classes).toEqual(['dark', 'bright']);
    expect(applied.shares[1]).toBe(estimate.prior[1]);
    expect(applied.intervals?.[1]).toEqual([estimate.intervals?.lo[1], estimate.intervals?.hi[1]]);
    // The estimator's warnings and the undecodable file: one warning notification, lines in the LADE output.
    const [shown, action] = vi.mocked(window.showWarningMessage).mock.calls[0]! as unknown as [string, string];
    expect(action).toBe('Show Log');
    expect(shown).toMatch(/is now the target prior in the Target Prior view .* warnings?: /);
    for (const w of [...estimate.warnings, '1 image(s) could not be decoded']) expect(shown).toContain(w);
    for (const w of estimate.warnings) expect(log.warn).toHaveBeenCalledWith(`[${outcome!.name}] ${w}`);
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/could not be decoded and were left out; first: .*broken\.png/));
    expect(log.info).toHaveBeenCalledWith(expect.stringMatching(/^\s+bright\s+50\.0%\s+75\.0%\s+\[/));
  });

  it('asks which labelled split calibrates when the run has several, each with its smallest class', async () => {
    vi.mocked(window.showQuickPick)
      .mockImplementationOnce(async (items) => (await items)[0])
      .mockImplementationOnce(async (items) => (await items).find((i) => i.label === 'test'));
    vi.mocked(window.showOpenDialog).mockResolvedValue([Uri.file(fixture.deploy)]);
    const reports: Report[] = [];
    runProgress(reports);

    const outcome = await command();

    const [splitItems, splitOptions] = vi.mocked(window.showQuickPick).mock.calls[1]! as unknown as [vscode.QuickPickItem[], vscode.QuickPickOptions];
    expect(splitItems.map((i) => [i.label, i.description])).toEqual([
      ['val', '40 labelled images, fewest in one class: 20 (dark)'],
      ['test', '60 labelled images, fewest in one class: 10 (dark)'],
    ]);
    // Only test carries the caution that the metrics panel then evaluates on the calibration images.
    expect(splitItems.map((i) => i.detail)).toEqual([undefined, expect.stringMatching(/^\$\(warning\) Calibrating on 'test': the metrics panel evaluates on the same images/)]);
    expect(vi.mocked(window.showWarningMessage).mock.calls[0]![0]).toContain("Calibrating on 'test'");
    expect(splitOptions.title).toBe('LADE: labelled split of fixture to calibrate on');
    expect(outcome?.estimate).toMatchObject({ calibrationSplit: 'test', calibrationImages: 60 });
    expect(reports.map((r) => r.message)).toContain('calibrating on the test split (BCTS)');
    expect(log.info).toHaveBeenCalledWith(expect.stringMatching(/^Estimated '.*calibrated on its test split, 60 images, 100\.0% accurate\)$/));
  });

  it('takes the split from the argument and names the splits a run has when it lacks one', async () => {
    runProgress([]);
    const outcome = await command({ run: 'fixture', folder: 'deploy', split: 'test' });
    expect(outcome?.estimate.calibrationSplit).toBe('test');
    expect(await command({ run: 'fixture', folder: 'deploy', split: 'train' })).toBeUndefined();
    expect(window.showErrorMessage).toHaveBeenCalledWith(
      "LADE: Run 'fixture' has no cached 'train' logits (logits-train.bin, labels-train.bin) to calibrate on; it has test, val.",
      'Open Log',
    );
  });

  it('asks before replacing a hand-edited target that is not saved, and keeps it when told to', async () => {
    runProgress([]);
    hasUnsavedEdit.mockReturnValue(true);
    vi.mocked(window.showWarningMessage).mockResolvedValueOnce(undefined);
    const kept = await command({ run: 'fixture', folder: 'deploy' });
    const [question, options, answer] = vi.mocked(window.showWarningMessage).mock.calls[0]! as unknown as [string, vscode.MessageOptions, string];
    expect(question).toMatch(/^LADE: replace the target prior you edited and have not saved with 'estimated-deploy-\d{8}-\d{4}'\?$/);
    expect(options.modal).toBe(true);
    expect(answer).toBe('Replace');
    expect(kept?.applied).toBe(false);
    expect(applyNamedPrior).not.toHaveBeenCalled();
    expect(commands.executeCommand).not.toHaveBeenCalled();
    expect(window.showWarningMessage).toHaveBeenLastCalledWith(expect.stringContaining('your edited target prior was kept'), 'Show Log');

    vi.clearAllMocks();
    vi.mocked(window.showWarningMessage).mockResolvedValueOnce('Replace' as unknown as vscode.MessageItem);
    vi.mocked(commands.executeCommand).mockImplementation(async (id: string) => {
      if (id === 'lade.showMetrics') openPanel = { selected: { runs: [{ dir: fixture.runDir }] }, whenReady: async () => true } as unknown as MetricsPanel;
      return undefined;
    });
    const replaced = await command({ run: 'fixture', folder: 'deploy' });
    expect(replaced?.applied).toBe(true);
    expect(applyNamedPrior).toHaveBeenCalledOnce();
    hasUnsavedEdit.mockReturnValue(false);
  });

  it('shows the estimate with a note when the model is inaccurate on the calibration split', async () => {
    const labels = path.join(fixture.runDir, 'labels-test.bin');
    const right = readFileSync(labels);
    // Every label flipped: the model is 0% accurate on test, while the estimate itself still runs.
    writeFileSync(labels, new Uint8Array(Int32Array.from(new Int32Array(right.buffer, right.byteOffset, right.length / 4), (y) => 1 - y).buffer));
    try {
      runProgress([]);
      openPanel = { selected: { runs: [{ dir: fixture.runDir }] }, whenReady: async () => true } as unknown as MetricsPanel;
      const outcome = await command({ run: 'fixture', folder: 'deploy', split: 'test' });
      expect(outcome?.estimate.calibrationAccuracy).toBe(0);
      const notice = applyNamedPrior.mock.calls[0]![1]?.notice ?? '';
      expect(notice).toMatch(/^The model is only 0\.0% accurate on the 'test' split: this estimate is unreliable and its intervals cover resampling only/);
      expect(notice).toContain("Calibrating on 'test'");
      expect(vi.mocked(window.showWarningMessage).mock.calls[0]![0]).toContain('only 0.0% accurate');
    } finally {
      writeFileSync(labels, right);
    }
  });

  it('keeps the estimate without applying it when the run cannot be opened in the metrics panel', async () => {
    runProgress([]);
    const outcome = await command({ run: fixture.runDir, folder: fixture.deploy, method: 'bbse' });
    expect(outcome).toMatchObject({ applied: false, estimate: { method: 'bbse' } });
    expect(vi.mocked(commands.executeCommand).mock.calls.map((c) => c[0])).toEqual(['lade.showMetrics']);
    expect(window.showWarningMessage).toHaveBeenCalledWith(expect.stringContaining('open fixture in LADE: Show Metrics'), 'Show Log');
  });

  it('returns nothing and shows no error when cancelled', async () => {
    runProgress([], 2);
    expect(await command({ run: 'fixture', folder: 'deploy' })).toBeUndefined();
    expect(log.info).toHaveBeenCalledWith(`Estimate of ${fixture.deploy} cancelled.`);
    expect(window.showErrorMessage).not.toHaveBeenCalled();
    expect(commands.executeCommand).not.toHaveBeenCalled();
  });

  it('shows an unreadable folder as the worker names it', async () => {
    runProgress([]);
    expect(await command({ run: 'fixture', folder: 'nowhere' })).toBeUndefined();
    expect(window.showErrorMessage).toHaveBeenCalledWith(
      `LADE: cannot read folder '${path.join(root, 'nowhere')}': ENOENT: no such file or directory, scandir '${path.join(root, 'nowhere')}'`,
      'Open Log',
    );
  });
});
