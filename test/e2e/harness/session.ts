// One call per describe block: start code-server with the built extension, open a workspace in chromium,
// and on a failed test save a screenshot and the logs to test-results/e2e/<test>.png|.log.
//
//   describe('my feature', () => {
//     const vs = useWorkbench({ workspace: (scratch) => writeFolderDataset({ cat: 3 }, { parent: scratch }) });
//     it('does it', async () => {
//       await vs.runCommand('LADE: My Command');
//       await vs.webview().getByText('done').waitFor({ timeout: 30_000 });
//     });
//   });
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { installBuiltExtension } from './extension';
import { resultsDir } from './paths';
import { artifactName, launchBrowser, openWorkbench, runCommandFromPalette, saveFailureArtifacts, webviewFrame, type Workbench } from './workbench';

export interface WorkbenchOptions {
  /** Creates the folder to open (called once, before the server starts); scratch is removed afterwards. */
  readonly workspace?: (scratch: string) => string;
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extra environment for code-server and the extension host it forks (e.g. LADE_TEST_FAULT); may depend on its folders. */
  readonly env?: CodeServerOptions['env'];
}

export interface WorkbenchHandle {
  readonly page: Page;
  readonly server: CodeServer;
  /** The folder opened as the workspace. */
  readonly workspace: string | undefined;
  runCommand(title: string): Promise<void>;
  webview(index?: number): FrameLocator;
}

/**
 * Registers hooks that, when a test fails, save a screenshot of the page and a log with the code-server
 * output and browser console errors to test-results/e2e/<file>--<test>.png|.log. A test's old artifacts
 * are removed when it starts again (only its own: other runs may share the folder).
 */
export function saveArtifactsOnFailure(
  current: () => { page?: Page; server?: CodeServer; consoleErrors?: readonly string[] },
): void {
  beforeEach((ctx) => {
    const base = path.join(resultsDir, artifactName(ctx.task.file?.filepath, ctx.task.name));
    for (const ext of ['.png', '.log']) rmSync(base + ext, { force: true });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const { page, server, consoleErrors } = current();
    const shot = await saveFailureArtifacts(page, artifactName(ctx.task.file?.filepath, ctx.task.name), {
      'code-server output': server?.output() ?? '(not started)',
      'browser console errors': consoleErrors?.join('\n') ?? '(no page)',
    });
    console.error(`Failure artifacts: ${shot ?? '(no screenshot)'} and its .log`);
  });
}

export function useWorkbench(options: WorkbenchOptions = {}): WorkbenchHandle {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let bench: Workbench | undefined;
  let workspace: string | undefined;

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useWorkbench: ${what} is not started (did beforeAll fail?)`);
    return value;
  };

  let scratch: string | undefined;

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-workspace-'));
    workspace = options.workspace?.(scratch);
    server = await startCodeServer({ settings: options.settings, env: options.env, prepareExtensions: (dir) => installBuiltExtension(dir) });
    browser = await launchBrowser();
    bench = await openWorkbench(browser, server.url, { folder: workspace });
  });

  saveArtifactsOnFailure(() => ({ page: bench?.page, server, consoleErrors: bench?.consoleErrors }));

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  return {
    get page() {
      return started(bench, 'the workbench').page;
    },
    get server() {
      return started(server, 'code-server');
    },
    get workspace() {
      return workspace;
    },
    runCommand: (title) => runCommandFromPalette(started(bench, 'the workbench').page, title),
    webview: (index) => webviewFrame(started(bench, 'the workbench').page, index),
  };
}
