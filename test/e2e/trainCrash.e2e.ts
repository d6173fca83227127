// Crash recovery of "LADE: Train with LADE" in a real VS Code: the training worker thread dies mid-run
// right after a checkpoint (LADE_TEST_FAULT, set for this code-server only). The user gets an error that
// names the intact checkpoint, the view and status bar show the run as failed rather than running, the
// checkpoint on disk is whole, and resuming from the notification completes the run.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointPath, readCheckpoint } from '../../src/core/train/checkpoint';
import { TEST_FAULT_ENV, TEST_FAULT_EXIT_CODE } from '../../src/core/train/testFault';
import { writeFolderDataset } from './harness/dataset';
import { useWorkbench } from './harness/session';
import { answerPrompts, epochsOf, runFolders, trainingView } from './harness/training';
import { shownMessages } from './harness/workbench';

describe('Train with LADE when the training worker dies', () => {
  const vs = useWorkbench({
    workspace: (scratch) => writeFolderDataset({ cat: 12, dog: 6, fox: 3 }, { parent: scratch, splits: ['train', 'test'] }),
    settings: { 'lade.train.inputSize': 8, 'lade.train.batchSize': 8 },
    env: { [TEST_FAULT_ENV]: 'exit-after-epoch:1' },
  });

  it('reports the crash, keeps the checkpoint intact, and resumes from it to the end', async () => {
    await vs.runCommand('LADE: Train with LADE');
    await answerPrompts(vs.page, 'LADE', 3);

    const crashed = vs.page.locator('.notification-toast', { hasText: 'training worker stopped unexpectedly' });
    await crashed.waitFor({ timeout: 90_000 }).catch(async () => {
      throw new Error(`No crash notification. VS Code shows: ${(await shownMessages(vs.page)).join(' | ')}`);
    });
    const [runDir] = runFolders(vs.workspace!);
    expect(runDir, 'the run folder').toBeDefined();
    const ckpt = checkpointPath(runDir!);
    const notice = (await crashed.innerText()).replace(/\s+/g, ' ');
    // One line (the reason), naming the run through its checkpoint; the Training view's card names it too.
    expect(notice).toContain('LADE: The training worker stopped unexpectedly');
    expect(notice).toContain(path.basename(runDir!));
    expect(notice).toContain(`stopped unexpectedly (exit code ${TEST_FAULT_EXIT_CODE})`);
    expect(notice).toContain(`The last checkpoint (${ckpt}) is intact`);

    // Failed, not stuck running: the card says so with the error, and nothing LADE spins in the status bar.
    const view = vs.webview();
    const card = view.locator('section.run[data-status="failed"]');
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.locator('.error').innerText()).toContain('stopped unexpectedly');
    expect(await view.locator('section.run[data-status="running"]').count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    await expect.poll(() => vs.page.locator('.statusbar-item', { hasText: /LADE lade/ }).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => vs.page.locator('.notification-toast', { hasText: 'LADE: training lade-' }).filter({ hasNotText: 'failed' }).count()).toBe(0);

    // The checkpoint is whole (written atomically, no temp file left) and holds exactly epoch 1.
    expect(readCheckpoint(runDir!)).toMatchObject({ epoch: 1, stepInEpoch: 0, history: [expect.objectContaining({ epoch: 1 })] });
    expect(readdirSync(runDir!).filter((f) => f.includes('.tmp-')), 'temp files left by a torn write').toEqual([]);

    // The extension stays usable: Resume on the error notification goes on from epoch 2 and completes.
    await crashed.getByRole('button', { name: 'Resume' }).click({ timeout: 10_000 });
    await trainingView(vs, 'completed');
    await expect.poll(() => epochsOf(runDir!), { timeout: 30_000 }).toEqual([1, 2, 3]);
    expect(readdirSync(runDir!)).toEqual(expect.arrayContaining(['run.json', 'logits-test.bin', 'model']));
  });
});
