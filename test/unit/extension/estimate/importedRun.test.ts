// lade.estimatePrior on an imported run without a model (vscode mocked, the real estimate worker): the run
// is offered, marked as imported, and the picker asks for the deployment logits file instead of a folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as vscode from 'vscode';
import { commands, Uri, window, workspace } from 'vscode';
import { registerEstimatePriorCommand, type EstimatePriorOutcome } from '../../../../src/extension/estimate/command';
import type { MetricsPanels } from '../../../../src/extension/metrics/panel';
import type { PriorEditorView } from '../../../../src/extension/priors/view';
import { FIXTURE_CLASSES as classes, IMPORT_FIXTURES as FIXTURES, importFixtureRun } from '../../../support/importedFixture';
import { buildEstimateWorker } from './fixture';

vi.mock('vscode');

let root: string;
let command: (arg?: unknown) => Promise<EstimatePriorOutcome | undefined>;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'lade-estimate-imported-'));
  await buildEstimateWorker(path.join(root, 'dist'));
  await importFixtureRun(root, 'val.npz');
  vi.mocked(window.createOutputChannel).mockReturnValue({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() } as unknown as vscode.LogOutputChannel);
  (workspace as unknown as { isTrusted: boolean }).isTrusted = true;
  (workspace as unknown as { setWorkspaceFolders(f: unknown): void }).setWorkspaceFolders([{ uri: Uri.file(root), name: 'ws', index: 0 }]);
  // No metrics panel opens under the mock, so the estimate is kept without being applied.
  const metrics = { open: undefined } as unknown as MetricsPanels;
  registerEstimatePriorCommand({ extensionUri: Uri.file(root) } as vscode.ExtensionContext, { metrics, priorEditor: {} as PriorEditorView });
  command = vi.mocked(commands.registerCommand).mock.calls.find((c) => c[0] === 'lade.estimatePrior')![1] as typeof command;
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Estimate Deployment Prior on an imported run without a model', () => {
  it('asks for the deployment logits file and estimates from it', async () => {
    vi.mocked(window.showQuickPick).mockImplementation(async (items) => (await items)[0]);
    vi.mocked(window.showOpenDialog).mockResolvedValue([Uri.file(path.join(FIXTURES, 'deploy.npz'))]);
    vi.mocked(window.withProgress).mockImplementation(async (_o, task) =>
      task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken),
    );
    const outcome = await command();
    expect(vi.mocked(window.showQuickPick).mock.calls[0]![0]).toEqual([expect.objectContaining({ label: 'torch-la (imported logits)', description: 'la · 3 classes' })]);
    expect(vi.mocked(window.showOpenDialog).mock.calls[0]![0]).toMatchObject({
      canSelectFiles: true,
      canSelectFolders: false,
      filters: { Logits: ['npz', 'safetensors', 'csv'] },
    });
    expect(window.showErrorMessage).not.toHaveBeenCalled();
    expect(outcome?.estimate).toMatchObject({ backend: 'none (logits file)', images: 24, calibrationSplit: 'val', classes });
    expect(outcome!.estimate.prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(outcome).toMatchObject({ applied: false });
    expect(outcome!.name).toMatch(/^estimated-deploy_npz-\d{8}-\d{4}$/);
  });
});
