// "LADE: Train with LADE" from the command palette of a real VS Code: the quick picks, the training panel
// view with live progress, a finished run on disk, cancel keeping a checkpoint, and resume continuing it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/core/runs';
import { writeFolderDataset } from './harness/dataset';
import { useWorkbench } from './harness/session';
import { answerPrompts, epochsOf, pick, runFolders, trainingView, typeEpochs } from './harness/training';

describe('Train with LADE from the command palette', () => {
  const vs = useWorkbench({
    workspace: (scratch) => writeFolderDataset({ cat: 12, dog: 6, fox: 3 }, { parent: scratch, splits: ['train', 'test'] }),
    settings: { 'lade.train.inputSize': 8, 'lade.train.batchSize': 8, 'security.workspace.trust.enabled': false },
  });

  it('trains a LADE run in the background and shows its progress, history and results', async () => {
    await vs.runCommand('LADE: Train with LADE');
    await answerPrompts(vs.page, 'LADE', 2);
    const view = await trainingView(vs, 'completed');
    const epochs = await view.locator('[data-testid=history] tbody tr').count();
    expect(epochs, 'epochs listed in the training view').toBe(2);
    expect(await view.locator('section.run').first().innerText()).toMatch(/backend wasm \(/);

    const [runDir] = runFolders(vs.workspace!);
    expect(runDir, 'a run folder under .lade/runs').toBeDefined();
    const { name, record } = readRun(runDir!);
    expect(name, 'named <dataset>-<loss>-<YYYYMMDD-HHMMSS>').toMatch(/-lade-\d{8}-\d{6}$/);
    expect(record.status).toBe('completed');
    expect(record.loss).toBe('lade');
    expect(record.classes).toEqual(['cat', 'dog', 'fox']);
    expect(record.backend?.name).toBe('wasm');
    expect(existsSync(path.join(runDir!, 'logits-test.bin'))).toBe(true);
  });

  it("retunes a new LADE head on the first run's frozen backbone", async () => {
    const [base] = runFolders(vs.workspace!);
    const before = new Set(runFolders(vs.workspace!));
    await vs.runCommand('LADE: Train with LADE');
    await vs.page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 30_000 });
    await pick(vs.page, 'Retune the head of a run…');
    await pick(vs.page, path.basename(base!));
    await pick(vs.page, 'LADE');
    await typeEpochs(vs.page, 2);
    await expect.poll(() => runFolders(vs.workspace!).find((d) => !before.has(d) && existsSync(path.join(d, 'run.json'))), { timeout: 90_000 }).toBeDefined();
    const runDir = runFolders(vs.workspace!).find((d) => !before.has(d))!;
    expect(path.basename(runDir)).toMatch(/-lade-\d{8}-\d{6}$/);
    const { record } = readRun(runDir);
    expect(record.status).toBe('completed');
    expect(record.config?.retuneHead).toBe(true);
    expect(record.config?.finetune).toMatchObject({ freezeBackbone: true });
  });

  it('cancels from the training view at a step boundary, keeps a checkpoint, and resumes from it', async () => {
    const before = new Set(runFolders(vs.workspace!));
    await vs.runCommand('LADE: Train with LADE');
    await answerPrompts(vs.page, 'Cross-entropy', 400);
    const view = await trainingView(vs, 'running');
    // Let at least one epoch (and its checkpoint) finish before cancelling: it shows in the live history.
    await view.locator('section.run[data-status="running"] [data-testid=history] tbody tr').first().waitFor({ timeout: 60_000 });
    await view.locator('section.run[data-status="running"]').getByRole('button', { name: 'Cancel' }).click();
    await trainingView(vs, 'cancelled');
    const runDir = runFolders(vs.workspace!).find((d) => !before.has(d));
    expect(runDir, 'the cancelled run folder').toBeDefined();
    expect(existsSync(path.join(runDir!, 'checkpoint.bin')), 'checkpoint kept after cancel').toBe(true);
    const cancelled = vs.page.locator('.notification-toast', { hasText: 'cancelled after' });
    await cancelled.waitFor({ timeout: 30_000 });
    const done = epochsOf(runDir!);
    expect(done.length, 'epochs recorded at the first cancel').toBeGreaterThanOrEqual(1);

    // Resume from the notification: the run goes on from its checkpoint, not from epoch 1.
    await cancelled.getByRole('button', { name: 'Resume' }).click();
    const resumed = (await trainingView(vs, 'running')).locator('section.run[data-status="running"]');
    await resumed.locator(`[data-testid=history] tr[data-epoch="${done.length + 1}"]`).waitFor({ timeout: 60_000 });
    await resumed.getByRole('button', { name: 'Cancel' }).click();
    await trainingView(vs, 'cancelled');
    await expect.poll(() => epochsOf(runDir!).length, { timeout: 30_000 }).toBeGreaterThan(done.length);
    const all = epochsOf(runDir!);
    expect(all, 'one history without restarts or gaps').toEqual(all.map((_, i) => i + 1));
  });
});
