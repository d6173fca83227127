// The end-to-end suites (npm run test:e2e): real VS Code (code-server) driven through chromium.
// One file at a time: each starts its own code-server and browser, and the machine has two cores.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// LADE_E2E_SUITE=package: only the smoke test of an installed package (test/e2e/package/run.ts sets it,
// with LADE_E2E_EXTENSION_DIR at the unpacked .vsix); the default suites test the checkout's build.
const packageSuite = process.env.LADE_E2E_SUITE === 'package';

export default defineConfig({
  root,
  test: {
    include: packageSuite ? ['test/e2e/package/*.e2e.ts'] : ['test/e2e/**/*.e2e.ts'],
    exclude: [...configDefaults.exclude, ...(packageSuite ? [] : ['test/e2e/package/**'])],
    environment: 'node',
    globalSetup: ['test/e2e/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
