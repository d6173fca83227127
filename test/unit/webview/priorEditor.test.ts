// The prior editor view in real headless Chromium, under the same CSP as in VS Code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildPreset } from '../../../src/core/priors/presets';
import { targetPrior } from '../../../src/core/priors/target';
import type { PriorEditorState } from '../../../src/protocol/priorEditor';
import { launchChromium } from '../../support/browser';
import { openWebview, type WebviewHarness } from '../../support/webviewHarness';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const names = ['cat', 'dog', 'owl', HOSTILE, 'yak'];
const counts = [400, 150, 60, 12, 3];

function state(extra: Partial<Extract<PriorEditorState, { status: 'ready' }>> = {}): PriorEditorState {
  return {
    status: 'ready',
    context: { kind: 'run', runName: 'lade-fashion' },
    classes: names.map((name, i) => ({ name, trainCount: counts[i]! })),
    target: targetPrior('uniform', [0.2, 0.2, 0.2, 0.2, 0.2]),
    perClassTestCount: 40,
    saved: [
      { name: 'deploy', status: 'ok', origin: 'import deploy.csv' },
      { name: 'broken', status: 'invalid', error: "broken.json: field \"version\" must be 1" },
    ],
    ...extra,
  };
}

type Sent = { type: string; prior?: { label: string; shares: number[] }; name?: string };

async function lastTarget(w: WebviewHarness): Promise<{ label: string; shares: number[] }> {
  const sent = (await w.sent()) as Sent[];
  const last = sent.filter((m) => m.type === 'targetChanged').at(-1);
  if (!last?.prior) throw new Error('no targetChanged yet');
  return last.prior;
}

async function shownShares(w: WebviewHarness): Promise<number[]> {
  return w.page.locator('[data-testid=class-list] .share-input').evaluateAll((els) => els.map((e) => Number((e as HTMLInputElement).value)));
}

function expectClose(actual: readonly number[], expected: readonly number[], digits = 9): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('prior editor webview', () => {
  let browser: Browser;
  let w: WebviewHarness;
  beforeAll(async () => {
    browser = await launchChromium();
    w = await openWebview(browser, 'priorEditor');
  });
  afterAll(async () => {
    await w?.close();
    await browser?.close();
  });

  it('shows each class with its training count and source share, names as text only', async () => {
    await expect.poll(() => w.sent()).toEqual([{ type: 'ready' }]);
    await w.post({ type: 'setState', state: state() });
    const rows = w.page.locator('[data-testid=class-list] .class-row');
    await rows.first().waitFor();
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-class'), tr.querySelector('.train-count')?.textContent, tr.querySelector('.source-share')?.textContent]));
    expect(shown).toEqual([
      ['cat', '400', '64.00%'],
      ['dog', '150', '24.00%'],
      ['owl', '60', '9.60%'],
      [HOSTILE, '12', '1.92%'],
      ['yak', '3', '0.48%'],
    ]);
    expect(await shownShares(w)).toEqual([20, 20, 20, 20, 20]);
    expect(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await w.page.getByTestId('saved').innerText()).toContain('field "version" must be 1');
  });

  it('presets post exactly the distributions the core builds (forward/backward with the protocol m)', async () => {
    await w.page.getByLabel('Shift ratio r').fill('10');
    await w.page.getByRole('button', { name: 'Backward' }).click();
    await expect.poll(async () => (await lastTarget(w)).label).toBe('backward-10');
    const backward = Array.from(buildPreset({ kind: 'backward', ratio: 10, perClassCount: 40 }, names, counts));
    expectClose((await lastTarget(w)).shares, backward, 12);
    expectClose(await shownShares(w), backward.map((s) => Number((s * 100).toFixed(2))));
    expect(await w.page.getByTestId('target-label').innerText()).toBe('backward-10');

    await w.page.getByRole('button', { name: 'Training' }).click();
    await expect.poll(async () => (await lastTarget(w)).label).toBe('training');
    expectClose((await lastTarget(w)).shares, counts.map((n) => n / 625), 12);

    // "Only shown" takes the classes the filter shows (any of the comma-separated fragments).
    await w.page.getByLabel('Filter classes').fill('dog, YAK');
    await w.page.getByRole('button', { name: 'Only shown' }).click();
    await expect.poll(async () => (await lastTarget(w)).label).toBe('only-2-classes');
    expect((await lastTarget(w)).shares).toEqual([0, 0.5, 0, 0, 0.5]);
    await w.page.getByLabel('Filter classes').fill('');
  });

  it('a slider move keeps the prior normalised: locked classes stay, the others rescale', async () => {
    await w.page.getByRole('button', { name: 'Uniform' }).click();
    await w.page.getByLabel('Lock owl').check();
    await w.page.getByLabel('Target share slider of cat').fill('50');
    await expect.poll(async () => (await lastTarget(w)).shares[0]).toBeCloseTo(0.5, 12);
    const t = await lastTarget(w);
    expect(t.label).toBe('edited');
    // owl locked at 0.2; dog, HOSTILE, yak share the remaining 0.3 in their old proportion (equal).
    expectClose(t.shares, [0.5, 0.1, 0.2, 0.1, 0.1], 12);
    expect(await shownShares(w)).toEqual([50, 10, 20, 10, 10]);

    // Typed percentages work the same way.
    await w.page.getByLabel('Target share (%) of dog').fill('25');
    await w.page.getByLabel('Target share (%) of dog').press('Enter');
    await expect.poll(async () => (await lastTarget(w)).shares[1]).toBeCloseTo(0.25, 12);
    // Free mass 0.8 (owl keeps 0.2); the 0.55 left after dog goes to cat, HOSTILE, yak as 0.5 : 0.1 : 0.1.
    const rest = 0.55 / 0.7;
    expectClose((await lastTarget(w)).shares, [0.5 * rest, 0.25, 0.2, 0.1 * rest, 0.1 * rest], 12);
  });

  it('invalid input shows the message and keeps the last valid prior', async () => {
    const before = await lastTarget(w);
    const posted = (await w.sent()).length;
    const field = w.page.getByLabel('Target share (%) of yak');
    await field.fill('abc');
    await field.press('Enter');
    const alert = w.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe("'yak': enter a percentage >= 0 (got 'abc').");
    await field.fill('140');
    await field.press('Enter');
    await expect.poll(() => alert.innerText()).toBe("'yak': a share cannot exceed 100% (got 140).");
    expect(await field.inputValue()).toBe((before.shares[4]! * 100).toFixed(2));
    expect((await w.sent()).length).toBe(posted);

    await w.page.getByLabel('Name of the prior to save').fill('../escape');
    await w.page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => w.page.getByRole('alert').innerText()).toContain('not a valid prior name');
    expect((await w.sent()).length).toBe(posted);
  });

  it('counts are accepted and normalised', async () => {
    await w.page.getByLabel('counts').check();
    for (const [name, n] of [['cat', '30'], ['dog', '10'], ['owl', '0'], [HOSTILE, '0'], ['yak', '60']] as const) {
      await w.page.getByLabel(`Target count of ${name}`, { exact: true }).fill(n);
      await w.page.getByLabel(`Target count of ${name}`, { exact: true }).press('Enter');
    }
    await expect.poll(async () => (await lastTarget(w)).shares).toEqual([0.3, 0.1, 0, 0, 0.6]);
    await w.page.getByLabel('Target count of dog').fill('2.5');
    await w.page.getByLabel('Target count of dog').press('Enter');
    await expect.poll(() => w.page.getByRole('alert').innerText()).toBe("'dog': a count must be a whole number (got 2.5).");
  });

  it('saves and loads by name, and applies a host prior with its intervals', async () => {
    await w.page.getByLabel('Name of the prior to save').fill('deploy-b');
    await w.page.getByRole('button', { name: 'Save' }).click();
    await w.page.getByRole('button', { name: 'deploy', exact: true }).click();
    await w.page.getByRole('button', { name: 'broken', exact: true }).click();
    const sent = ((await w.sent()) as Sent[]).filter((m) => m.type !== 'targetChanged').slice(-3);
    expect(sent).toEqual([
      { type: 'savePrior', name: 'deploy-b', prior: { label: 'edited', shares: [0.3, 0.1, 0, 0, 0.6] } },
      { type: 'loadPrior', name: 'deploy' },
      { type: 'openPriorFile', name: 'broken' },
    ]);

    await w.post({
      type: 'applyPrior',
      prior: { label: 'estimated', shares: [0.1, 0.2, 0.3, 0.2, 0.2], intervals: [[0.05, 0.15], null, null, null, null] },
      notice: { level: 'info', text: 'Estimated from 500 unlabelled images.' },
    });
    await expect.poll(() => w.page.getByTestId('target-label').innerText()).toBe('estimated');
    expect(await w.page.locator('.class-row[data-class=cat] .interval').innerText()).toBe('5.0–15.0%');
    expect(await w.page.getByRole('status').first().innerText()).toContain('Estimated from 500');
  });

  it('keeps its locks and mode across a reload and asks the host for the state again', async () => {
    await w.reload();
    await expect.poll(() => w.sent()).toEqual([{ type: 'ready' }]);
    await w.post({ type: 'setState', state: state({ target: targetPrior('estimated', [0.1, 0.2, 0.3, 0.2, 0.2]) }) });
    await w.page.locator('[data-testid=class-list] .class-row').first().waitFor();
    expect(await w.page.getByLabel('counts').isChecked()).toBe(true);
    expect(await w.page.getByLabel('Lock owl').isChecked()).toBe(true);
    expect(await w.page.getByTestId('target-label').innerText()).toBe('estimated');
    expect(await w.cspViolations()).toEqual([]);
  });
});
