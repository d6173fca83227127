// The Analyze panel in real headless Chromium, under the same CSP as in VS Code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AnalyzeResult } from '../../../src/core/dataset/types';
import { launchChromium } from '../../support/browser';
import { openWebview, type WebviewHarness } from '../../support/webviewHarness';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function result(): AnalyzeResult {
  const counts = [150, 50, 5, 0];
  const names = ['cat', 'dog', HOSTILE, 'zebra'];
  const shots = ['many', 'medium', 'few', 'empty'] as const;
  const total = 205;
  return {
    root: '/data/pets',
    layout: 'folder-per-class',
    primarySplit: 'train',
    classes: names.map((name, i) => ({ name, count: counts[i]!, share: counts[i]! / total, effectiveNumber: counts[i]! * 0.9, shot: shots[i]! })),
    total,
    imbalanceRatio: 30,
    gini: 0.5,
    entropy: 0.61,
    effectiveNumber: 184.5,
    options: { manyThreshold: 100, fewThreshold: 20, beta: 0.999 },
    shots: { many: ['cat'], medium: ['dog'], few: [HOSTILE] },
    splits: [
      { name: 'train', total, counts },
      { name: 'test', total: 30, counts: [10, 10, 10, 0] },
    ],
    warnings: [{ kind: 'empty-class', message: "Class 'zebra' has no images in train.", classes: ['zebra'] }],
    durationMs: 12,
  };
}

/** Pixels of the canvas whose colour is within 8 of the given RGB. */
async function countPixels(w: WebviewHarness, rgb: [number, number, number]): Promise<number> {
  return w.page.evaluate(([r, g, b]) => {
    const canvas = document.querySelector('canvas') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - r) < 8 && Math.abs(data[i + 1]! - g) < 8 && Math.abs(data[i + 2]! - b) < 8) n++;
    }
    return n;
  }, rgb);
}

describe('analyze webview', () => {
  let browser: Browser;
  let w: WebviewHarness;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says ready, then shows the classes, counts, statistics and bars of the scan it is given', async () => {
    w = await openWebview(browser, 'analyze');
    await expect.poll(() => w.sent()).toEqual([{ type: 'ready' }]);
    expect(await w.page.getByTestId('loading').innerText()).toContain('Scanning');
    await w.post({ type: 'setState', state: { status: 'ready', root: '/data/pets', result: result() } });

    const rows = w.page.locator('[data-testid=class-table] tbody tr');
    await rows.first().waitFor();
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-class'), tr.querySelector('td.count')?.textContent]),
    );
    expect(shown).toEqual([
      ['cat', '150'],
      ['dog', '50'],
      [HOSTILE, '5'],
      ['zebra', '0'],
    ]);
    // A class name is data, never markup.
    expect(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await w.page.locator('img').count()).toBe(0);

    const stats = await w.page.getByTestId('stats').innerText();
    expect(stats).toContain('205');
    expect(stats).toContain('30');
    expect(stats).toContain('1 / 1 / 1');
    expect(await w.page.getByTestId('warnings').innerText()).toContain("Class 'zebra' has no images in train.");
    expect(await w.page.locator('[data-testid=splits] tr[data-split=test]').innerText()).toContain('zebra');

    // Bars are drawn in the shot colours (fallback theme: many blue, few red).
    expect(await countPixels(w, [0x37, 0x94, 0xff])).toBeGreaterThan(500);
    expect(await countPixels(w, [0xf1, 0x4c, 0x4c])).toBeGreaterThan(20);
    expect(await w.cspViolations()).toEqual([]);
  });

  it('sorts the table, posts typed commands, and keeps its view settings across a reload', async () => {
    await w.page.getByRole('button', { name: /^class/ }).click();
    const names = await w.page.locator('[data-testid=class-table] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-class')));
    expect(names).toEqual([HOSTILE, 'cat', 'dog', 'zebra'].sort((a, b) => a.localeCompare(b)));

    await w.page.getByRole('button', { name: 'Export CSV' }).click();
    await w.page.getByRole('button', { name: 'dog', exact: true }).click();
    expect((await w.sent()).slice(1)).toEqual([
      { type: 'export', format: 'csv' },
      { type: 'revealClass', className: 'dog' },
    ]);

    await w.page.getByLabel('log scale').check();
    await w.reload();
    await expect.poll(() => w.sent()).toEqual([{ type: 'ready' }]);
    await w.post({ type: 'setState', state: { status: 'ready', root: '/data/pets', result: result() } });
    await w.page.locator('[data-testid=class-table]').waitFor();
    expect(await w.page.getByLabel('log scale').isChecked()).toBe(true);
    const order = await w.page.locator('[data-testid=class-table] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-class')));
    expect(order[0]).toBe(HOSTILE);
  });

  it('shows an error with a retry instead of spinning, and ignores foreign messages', async () => {
    await w.post({ type: 'somethingElse', state: 1 });
    await w.post({ type: 'setState', state: { status: 'error', root: '/data/pets', error: "No images found in '/data/pets'." } });
    const alert = w.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain("No images found in '/data/pets'.");
    await w.page.getByRole('button', { name: 'Try again' }).click();
    expect((await w.sent()).at(-1)).toEqual({ type: 'rescan' });
    await w.close();
  });
});
