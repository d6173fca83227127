// Helpers for the "LADE: Train with LADE" end-to-end tests: answering its quick picks, finding the
// training view in a given state, and reading the run folders it writes.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { readRun } from '../../../src/core/runs';
import { errorMessages, firstVisible, shownMessages } from './workbench';

/** Clicks the quick-pick row whose label is exactly `label`. */
export async function pick(page: Page, label: string): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).click();
}

/** Answers the prompts of a from-scratch run: start, loss (by its label), model (default) and epochs. */
export async function answerPrompts(page: Page, loss: string, epochs: number): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 30_000 });
  await pick(page, 'From scratch');
  await pick(page, loss);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'small CNN' }).click();
  await typeEpochs(page, epochs);
}

export async function typeEpochs(page: Page, epochs: number): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(String(epochs));
  await input.press('Enter');
}

/** The training view's document: the webview whose body holds run cards (other panels may be open). */
export async function trainingView(vs: { page: Page; webview(index?: number): FrameLocator }, runStatus: string): Promise<FrameLocator> {
  const run = vs.webview().locator(`section.run[data-status="${runStatus}"]`);
  const found = await firstVisible([run, errorMessages(vs.page)], 90_000);
  if (found !== 0) {
    const text = await vs.webview().locator('body').innerText({ timeout: 2_000 }).catch(() => '(no webview)');
    throw new Error(`No run reached '${runStatus}' in the training view.\nView: ${text.slice(0, 800)}\nVS Code shows: ${(await shownMessages(vs.page)).join(' | ')}`);
  }
  return vs.webview();
}

export function runFolders(workspace: string): string[] {
  const dir = path.join(workspace, '.lade', 'runs');
  return existsSync(dir) ? readdirSync(dir).map((n) => path.join(dir, n)) : [];
}

/** Epoch numbers in a run's run.json (written at every stop, cancelled or not). */
export function epochsOf(runDir: string): number[] {
  if (!existsSync(path.join(runDir, 'run.json'))) return [];
  return (readRun(runDir).record.history ?? []).map((e) => e.epoch);
}
