// `npm run test:desktop`: the same extension-host mocha suite in desktop VS Code, for machines that can
// download it (@vscode/test-electron fetches a build from update.code.visualstudio.com). On Linux
// without a display run it under xvfb-run. Offline, it stops with the download error.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { writeFolderDataset } from '../harness/dataset';
import { extensionRoot } from '../harness/extension';
import { buildExtensionHostSuite, describeSuiteResult, readSuiteResult } from '../harness/extensionHostSuite';

const counts = { airplane: 6, ship: 4, truck: 2 };

async function main(): Promise<number> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-desktop-'));
  try {
    const extensionTestsPath = await buildExtensionHostSuite();
    const dataset = writeFolderDataset(counts, { parent: scratch });
    const userData = path.join(scratch, 'user-data');
    const resultFile = path.join(scratch, 'result.json');
    const code = await runTests({
      version: process.env.LADE_E2E_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: extensionRoot,
      extensionTestsPath,
      launchArgs: [dataset, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData],
      extensionTestsEnv: {
        LADE_E2E_RESULT_FILE: resultFile,
        LADE_E2E_DATASET: dataset,
        LADE_E2E_DATASET_COUNTS: JSON.stringify(counts),
        LADE_E2E_USER_DATA: userData,
        LADE_E2E_GREP: process.env.LADE_E2E_GREP ?? '',
      },
    });
    const result = readSuiteResult(resultFile);
    console.log(result ? describeSuiteResult(result) : `The suite wrote no report (exit code ${code}).`);
    return code;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`Desktop VS Code tests could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
