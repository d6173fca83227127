// "LADE: Import Model or Predictions" from the command palette of a real VS Code: import the committed
// logits fixtures (test/fixtures/import) by answering every picker as a user would, then Show Metrics
// from the notification and read the imported run's metrics in the panel.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pick } from './harness/training';
import { useWorkbench } from './harness/session';
import { errorMessages, firstVisible, frameWith, shownMessages } from './harness/workbench';

const FIXTURES = path.resolve('test/fixtures/import');
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as { classes: string[]; logits: number[][]; labels: number[] };

/** The mean per-class recall of argmax over the fixture's val logits. */
function meanRecall(): number {
  const C = expected.classes.length;
  const right = new Array<number>(C).fill(0);
  const seen = new Array<number>(C).fill(0);
  expected.labels.forEach((y, i) => {
    const z = expected.logits[i]!;
    seen[y]!++;
    if (z.indexOf(Math.max(...z)) === y) right[y]!++;
  });
  return right.reduce((s, r, c) => s + r / seen[c]!, 0) / C;
}

describe('Import Model or Predictions from the command palette', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-import-'));
  const workspaceDir = path.join(scratch, 'ws');
  const preds = path.join(workspaceDir, 'preds');
  // Made in beforeAll (not while collecting), before useWorkbench's beforeAll opens the workspace.
  beforeAll(() => {
    mkdirSync(preds, { recursive: true });
    for (const f of ['val.npz', 'classes.txt', 'train-counts.json']) copyFileSync(path.join(FIXTURES, f), path.join(preds, f));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const vs = useWorkbench({ workspace: () => workspaceDir });

  /** The file picker of a remote VS Code is a quick input with a path box (button: its open label): type the path, press the button until it closes. */
  async function typePath(page: Page, file: string, button: string): Promise<void> {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const accept = page.locator('.quick-input-widget .monaco-button', { hasText: button });
    // Each picker opens in the workspace folder; the previous picker's path box may still be on screen.
    await accept.waitFor({ timeout: 15_000 });
    await expect.poll(() => input.inputValue(), { timeout: 15_000 }).toBe(`${workspaceDir}/`);
    for (let attempt = 1; await accept.isVisible(); attempt++) {
      if (attempt > 10) throw new Error(`The file picker did not accept ${file}; it shows ${await input.inputValue()}`);
      if ((await input.inputValue().catch(() => file)) !== file) await input.fill(file).catch(() => undefined);
      await accept.click().catch(() => undefined);
      await accept.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
    }
  }

  it('imports logits through the pickers and shows the imported run in the metrics panel', async () => {
    const { page } = vs;
    await vs.runCommand('LADE: Import Model or Predictions');
    await pick(page, 'Logits or predictions (.npz, .safetensors, CSV)');
    // val.npz is the val split by its name, so no split name is asked.
    await typePath(page, path.join(preds, 'val.npz'), 'Import');
    await typePath(page, path.join(preds, 'classes.txt'), 'Use Classes');
    await pick(page, 'A counts file');
    await typePath(page, path.join(preds, 'train-counts.json'), 'Use Counts');
    await pick(page, 'Logit-adjusted loss');
    const name = page.locator('.quick-input-widget .quick-input-box input');
    await expect.poll(() => name.inputValue(), { timeout: 15_000 }).toMatch(/^preds-la-\d{8}-\d{6}$/);
    await name.fill('torch-la');
    await name.press('Enter');

    const showMetrics = page.locator('.notification-toast', { hasText: 'imported torch-la' }).locator('.monaco-button', { hasText: 'Show Metrics' });
    const shown = await firstVisible([showMetrics, errorMessages(page)], 60_000);
    if (shown !== 0) throw new Error(`No import notification. VS Code shows: ${(await shownMessages(page)).join(' | ') || '(nothing)'}`);
    const runDir = path.join(workspaceDir, '.lade', 'runs', 'torch-la');
    expect(existsSync(path.join(runDir, 'logits-val.bin'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'))).toMatchObject({ loss: 'la', origin: { kind: 'imported', source: 'logits' }, classes: expected.classes });
    await showMetrics.click();

    const panel = await frameWith(page, '[data-testid=results]', 60_000);
    const results = panel.locator('[data-testid=results][data-label="uniform"][data-complete]');
    const ready = await firstVisible([results, panel.locator('[data-testid=error]'), errorMessages(page)], 60_000);
    if (ready !== 0) throw new Error(`No metrics for torch-la. Panel: ${(await panel.locator('body').innerText()).slice(0, 800)}`);
    expect(await panel.locator('header').innerText()).toContain('torch-la (la)');
    // A logit-adjusted run is compensated with + log p_t (no plain Softmax column): under the uniform
    // target that is argmax of its logits, whose expected accuracy is the mean per-class recall.
    expect(await results.locator('td[data-method="torch-la:softmax"]').count()).toBe(0);
    const adjusted = Number(await results.locator('td[data-method="torch-la:lade"][data-metric=expectedAccuracy]').getAttribute('data-value'));
    expect(adjusted, 'expected accuracy under the uniform prior').toBeCloseTo(meanRecall(), 6);
  }, 180_000);
});
