// The training panel view in real headless Chromium: live progress, per-epoch history, cancel and open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TrainingViewState } from '../../../src/protocol/trainingView';
import { launchChromium } from '../../support/browser';
import { openWebview, type WebviewHarness } from '../../support/webviewHarness';

const epoch = (n: number, loss: number, acc: number) => ({ epoch: n, loss, trainAccuracy: acc, valAccuracy: acc - 0.1, lr: 0.05, seconds: 3.5, imagesPerSec: 512 });

const state: TrainingViewState = {
  runs: [
    {
      name: 'lade-1',
      loss: 'lade',
      status: 'running',
      backend: { name: 'wasm', reason: 'default: always available' },
      progress: { phase: 'train', epoch: 3, epochs: 5, step: 4, steps: 16, loss: { total: 1.2345 }, accuracy: 0.5, lr: 0.05, imagesPerSec: 480, etaSec: 95, backend: 'wasm', backendReason: 'default: always available' },
      history: [epoch(1, 2.1, 0.3), epoch(2, 1.6, 0.45)],
    },
    { name: 'ce-1', loss: 'ce', status: 'failed', history: [], error: 'Training crashed: out of memory (the last checkpoint, epoch 2, is intact).' },
  ],
};

describe('training view webview', () => {
  let browser: Browser;
  let w: WebviewHarness;
  beforeAll(async () => {
    browser = await launchChromium();
    w = await openWebview(browser, 'training');
  });
  afterAll(async () => {
    await w?.close();
    await browser?.close();
  });

  it('shows the empty state, then each run with its progress, backend, history and errors', async () => {
    expect(await w.page.getByTestId('empty').innerText()).toContain('LADE: Train with LADE');
    await expect.poll(() => w.sent()).toEqual([{ type: 'ready' }]);
    await w.post({ type: 'setState', state });
    const running = w.page.locator('[data-run="lade-1"]');
    await running.waitFor();
    const progress = await running.getByTestId('progress').innerText();
    expect(progress).toContain('epoch 3/5');
    expect(progress).toContain('step 4/16');
    expect(progress).toContain('loss 1.2345');
    expect(progress).toContain('480 img/s');
    expect(progress).toContain('ETA 1 min 35 s');
    expect(await running.innerText()).toContain('backend wasm (default: always available)');
    const epochs = await running.locator('[data-testid=history] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(epochs).toEqual([
      ['1', '2.1', '30.0%', '20.0%', '512', '3.5'],
      ['2', '1.6', '45.0%', '35.0%', '512', '3.5'],
    ]);
    expect(await w.page.locator('[data-run="ce-1"] [role=alert]').innerText()).toContain('out of memory');
    expect(await w.cspViolations()).toEqual([]);
  });

  it('asks the host to cancel a running run and to open a finished one', async () => {
    await w.page.locator('[data-run="lade-1"]').getByRole('button', { name: 'Cancel' }).click();
    await w.post({ type: 'setState', state: { runs: [{ ...state.runs[0]!, status: 'cancelled', progress: undefined }] } });
    await w.page.locator('[data-run="lade-1"][data-status=cancelled]').getByRole('button', { name: 'Open results' }).click();
    expect((await w.sent()).slice(1)).toEqual([
      { type: 'cancel', name: 'lade-1' },
      { type: 'openResults', name: 'lade-1' },
    ]);
  });
});

describe('training view under live progress', () => {
  it('keeps the same Cancel button while progress updates arrive, and shows the new numbers', async () => {
    const browser = await launchChromium();
    const w = await openWebview(browser, 'training');
    try {
      const run = { ...state.runs[0]! };
      await w.post({ type: 'setState', state: { runs: [run] } });
      const cancel = w.page.getByRole('button', { name: 'Cancel' });
      await cancel.waitFor();
      await cancel.evaluate((b) => b.setAttribute('data-marker', 'original'));
      for (let step = 5; step <= 8; step++) {
        await w.post({ type: 'setState', state: { runs: [{ ...run, progress: { ...run.progress!, step } }] } });
      }
      expect(await w.page.getByTestId('progress').innerText()).toContain('step 8/16');
      expect(await cancel.getAttribute('data-marker')).toBe('original');
      // A finished epoch arrives live: its row is added and the same button stays.
      await w.post({ type: 'setState', state: { runs: [{ ...run, history: [...run.history, epoch(3, 1.2, 0.5)] }] } });
      await expect.poll(() => w.page.locator('[data-testid=history] tbody tr').count()).toBe(3);
      expect(await cancel.getAttribute('data-marker')).toBe('original');
      // Finishing changes the layout: the card is rebuilt with Open results instead of Cancel.
      await w.post({ type: 'setState', state: { runs: [{ ...run, status: 'completed', progress: undefined }] } });
      await w.page.getByRole('button', { name: 'Open results' }).waitFor();
    } finally {
      await w.close();
      await browser.close();
    }
  });
});
