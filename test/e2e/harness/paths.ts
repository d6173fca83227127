// Where the end-to-end harness finds the repository, the code-server install and its own output.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Folder with code-server's own package.json and lockfile (apart from the extension's dependencies). */
export const hostDir = path.join(repoRoot, 'test/e2e/host');
export const codeServerDir = path.join(hostDir, 'node_modules/code-server');
export const codeServerEntry = path.join(codeServerDir, 'out/node/entry.js');
/** Screenshots and logs of failed tests, and the host install log. */
export const resultsDir = path.join(repoRoot, 'test-results/e2e');
/** The compiled extension-host mocha suite (out/ is gitignored; mocha resolves from the repo's node_modules). */
export const extensionHostSuiteOut = path.join(repoRoot, 'out/e2e/exthost');
