// Drives the VS Code workbench that code-server serves, through Debian's chromium and playwright-core:
// open a folder, run a command from the palette, reach into a webview, save what a failure looked like.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../support/browser';
import { resultsDir } from './paths';

export interface BrowserOptions {
  /** LADE_E2E_HEADED=1 shows the window (needs a display, e.g. xvfb-run or a desktop session). */
  readonly headed?: boolean;
  readonly slowMo?: number;
}

export function browserOptionsFromEnv(): BrowserOptions {
  const slowMo = Number(process.env.LADE_E2E_SLOWMO ?? 0);
  return { headed: process.env.LADE_E2E_HEADED === '1', slowMo: Number.isFinite(slowMo) ? slowMo : 0 };
}

/** Launches chromium with a new, empty profile (playwright makes one per launch). */
export function launchBrowser(options: BrowserOptions = browserOptionsFromEnv()): Promise<Browser> {
  const executablePath = process.env.LADE_E2E_CHROMIUM ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: !options.headed,
    args: CHROMIUM_ARGS,
    slowMo: options.slowMo,
    timeout: 60_000,
  });
}

export interface Workbench {
  readonly page: Page;
  /** Browser console errors and page errors seen so far (for failure reports). */
  readonly consoleErrors: string[];
}

export interface OpenOptions {
  /** Folder to open as the workspace. */
  readonly folder?: string;
  /** Test payload for the extension host (extensionDevelopmentPath, extensionTestsPath), as VS Code's web embedder passes it. */
  readonly payload?: ReadonlyArray<readonly [string, string]>;
  /** Called when the extension host reports that an extension test run ended. */
  readonly onAutomationExit?: (code: number) => void;
}

/** Opens the workbench in a fresh page and waits until it is interactive. */
export async function openWorkbench(browser: Browser, serverUrl: string, options: OpenOptions = {}): Promise<Workbench> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  if (options.onAutomationExit) {
    const onExit = options.onAutomationExit;
    // The workbench calls window.codeAutomationExit(code) when the extension host's test run ends.
    await page.exposeFunction('codeAutomationExit', (code: unknown) => onExit(typeof code === 'number' ? code : 1));
  }
  const url = new URL(serverUrl);
  if (options.folder) url.searchParams.set('folder', options.folder);
  if (options.payload) url.searchParams.set('payload', JSON.stringify(options.payload));
  await page.goto(url.toString());
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The status bar fills in once the workbench has restored its parts.
  await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  return { page, consoleErrors };
}

async function quickInputRows(page: Page): Promise<string[]> {
  return page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
}

/**
 * Runs a command by its palette title ("LADE: Analyze Label Distribution") through F1, as a user would.
 * Retries once when the command is not listed yet (the extension's contributions are still loading).
 */
export async function runCommandFromPalette(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: attempt === 1 ? 10_000 : 20_000 });
      await row.click();
      return;
    } catch {
      const listed = await quickInputRows(page);
      await page.keyboard.press('Escape');
      if (attempt >= 2) {
        throw new Error(
          `The command palette does not list "${title}".\n` +
            `It showed for ">${title}": ${listed.length ? listed.map((r) => JSON.stringify(r)).join(', ') : '(no matching commands)'}`,
        );
      }
    }
  }
}

/**
 * The document inside a webview: VS Code nests the extension's HTML in iframe#active-frame inside the
 * outer iframe.webview. `index` picks among several open webviews in DOM order (default: the last one,
 * usually the most recently opened).
 */
export function webviewFrame(page: Page, index = -1): FrameLocator {
  const outer = page.locator('iframe.webview.ready');
  return (index < 0 ? outer.last() : outer.nth(index)).contentFrame().locator('iframe#active-frame').contentFrame();
}

/** The frame of the webview whose document has an element matching `selector` (the editor and the panel are both open). */
export async function frameWith(page: Page, selector: string, timeoutMs: number): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outer = page.locator('iframe.webview.ready');
    for (let i = 0; i < (await outer.count()); i++) {
      const frame = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      if ((await frame.locator(selector).count().catch(() => 0)) === 0) continue;
      // Webview iframes move around the DOM as views open: hold on to this one by its unique name.
      const name = await outer.nth(i).getAttribute('name');
      if (name) return page.locator(`iframe.webview.ready[name="${name}"]`).contentFrame().locator('iframe#active-frame').contentFrame();
    }
    if (Date.now() > deadline) throw new Error(`No webview has "${selector}". VS Code shows: ${(await shownMessages(page)).join(' | ') || '(nothing)'}`);
    await page.waitForTimeout(500);
  }
}

/**
 * Waits until one of the locators is visible and returns its index, or -1 after the timeout. Use it to
 * stop waiting for a result as soon as an error shows instead.
 */
export async function firstVisible(locators: ReadonlyArray<Locator>, timeoutMs: number): Promise<number> {
  const waits = locators.map((l, i) => l.first().waitFor({ state: 'visible', timeout: timeoutMs }).then(() => i));
  return Promise.any(waits).catch(() => -1);
}

/** Errors VS Code shows: error notifications, and the modal dialog a command that fails from the palette gets. */
export function errorMessages(page: Page): Locator {
  return page
    .locator('.notification-toast', { has: page.locator('.codicon-error') })
    .or(page.locator('.monaco-dialog-box'));
}

/** Text of the dialogs and notifications on screen, one entry each, for failure messages. */
export async function shownMessages(page: Page): Promise<string[]> {
  const texts = await page.locator('.monaco-dialog-box, .notifications-toasts .notification-toast').allInnerTexts();
  return texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t.length > 0);
}

/** "analyze.e2e--shows every class" -> a file name for the failure artifacts of that test. */
export function artifactName(file: string | undefined, test: string): string {
  const prefix = file ? `${path.basename(file).replace(/\.ts$/, '')}--` : '';
  return `${prefix}${test}`.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120);
}

/** Saves a screenshot and a log next to it under test-results/e2e/; returns the screenshot path. */
export async function saveFailureArtifacts(
  page: Page | undefined,
  name: string,
  logs: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  mkdirSync(resultsDir, { recursive: true });
  const base = path.join(resultsDir, name);
  writeFileSync(
    `${base}.log`,
    Object.entries(logs)
      .map(([name, text]) => `===== ${name} =====\n${text}\n`)
      .join('\n'),
  );
  if (!page || page.isClosed()) return undefined;
  try {
    await page.screenshot({ path: `${base}.png`, timeout: 10_000 });
    return `${base}.png`;
  } catch {
    return undefined;
  }
}
