// Runs the mocha suite in test/e2e/exthost inside code-server's real extension host, with the built
// extension as the extension under development, and fails with mocha's per-test report.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startCodeServer, type CodeServer } from './harness/codeServer';
import { writeFolderDataset } from './harness/dataset';
import { installBuiltExtension } from './harness/extension';
import { buildExtensionHostSuite, describeSuiteResult, readSuiteResult } from './harness/extensionHostSuite';
import { saveArtifactsOnFailure } from './harness/session';
import { launchBrowser, openWorkbench, type Workbench } from './harness/workbench';

const counts = { airplane: 6, ship: 4, truck: 2 };
const suiteTimeoutMs = 150_000;

describe('extension-host suite (mocha, real vscode API)', () => {
  let scratch: string | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let bench: Workbench | undefined;

  saveArtifactsOnFailure(() => ({ page: bench?.page, server, consoleErrors: bench?.consoleErrors }));

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('passes every extension-host test', { timeout: suiteTimeoutMs + 60_000 }, async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-exthost-'));
    const testsPath = await buildExtensionHostSuite();
    const dataset = writeFolderDataset(counts, { parent: scratch });
    const resultFile = path.join(scratch, 'result.json');
    // Loaded as the extension under development rather than installed, as a test run of VS Code does.
    const devExtension = installBuiltExtension(path.join(scratch, 'dev'));
    server = await startCodeServer({
      env: (dirs) => ({
        LADE_E2E_RESULT_FILE: resultFile,
        LADE_E2E_DATASET: dataset,
        LADE_E2E_DATASET_COUNTS: JSON.stringify(counts),
        LADE_E2E_USER_DATA: dirs.userData,
        LADE_E2E_GREP: process.env.LADE_E2E_GREP ?? '',
      }),
    });
    // The workbench addresses server-side paths as vscode-remote URIs of the server's own authority.
    const authority = new URL(server.url).host;
    const remote = (p: string): string => `vscode-remote://${authority}${p}`;
    let onAutomationExit: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (onAutomationExit = resolve));
    browser = await launchBrowser();
    bench = await openWorkbench(browser, server.url, {
      folder: dataset,
      payload: [
        ['extensionDevelopmentPath', remote(devExtension)],
        ['extensionTestsPath', remote(testsPath)],
      ],
      onAutomationExit: (code) => onAutomationExit(code),
    });
    let onTimeout: () => void = () => {};
    const timedOut = new Promise<undefined>((resolve) => (onTimeout = () => resolve(undefined)));
    const timer = setTimeout(() => onTimeout(), suiteTimeoutMs);
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    const result = readSuiteResult(resultFile);
    if (exitCode === undefined) {
      throw new Error(
        `The extension-host suite did not finish within ${suiteTimeoutMs / 1000} s` +
          (result ? `; its report:\n${describeSuiteResult(result)}` : ' and wrote no report (did the extension host start?)'),
      );
    }
    if (!result) throw new Error(`The extension-host suite exited with ${exitCode} but wrote no report to ${resultFile}`);
    const report = describeSuiteResult(result);
    if (result.failed.length > 0) throw new Error(`Extension-host tests failed: ${report}`);
    console.log(`Extension-host suite: ${report}`);
    expect(exitCode, report).toBe(0);
    expect(result.passed.length, 'the suite ran no tests').toBeGreaterThan(0);
  });
});
