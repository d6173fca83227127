// npm run test:e2e:package: unpacks this machine's platform .vsix (built by `npm run package`, or the file
// given) into a temporary folder as VS Code would install it, and runs the package smoke test against it
// (LADE_E2E_SUITE=package, LADE_E2E_EXTENSION_DIR=<the unpacked extension/ folder>).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { platformTarget } from '../../../src/core/tf/gpuRuntime';
import { readManifest } from '../harness/extension';
import { repoRoot } from '../harness/paths';

function packageFile(): string {
  if (process.argv[2]) return path.resolve(process.argv[2]);
  const target = platformTarget();
  if (!target) throw new Error(`LADE Studio has no platform package for ${process.platform}-${process.arch}`);
  const m = readManifest(repoRoot);
  return path.join(repoRoot, `${m.name}-${target.target}-${m.version}.vsix`);
}

/** Writes the .vsix's extension/ folder (what VS Code installs) under dir; returns that folder. */
function unpack(vsix: string, dir: string): string {
  const files = unzipSync(readFileSync(vsix), { filter: (f) => f.name.startsWith('extension/') && !f.name.endsWith('/') });
  for (const [name, data] of Object.entries(files)) {
    const to = path.join(dir, name);
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, data);
  }
  return path.join(dir, 'extension');
}

const vsix = packageFile();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-package-'));
let status: number;
try {
  const extensionDir = unpack(vsix, scratch);
  console.log(`[e2e] testing ${path.relative(repoRoot, vsix)} unpacked in ${extensionDir}`);
  const vitest = path.join(repoRoot, 'node_modules/vitest/vitest.mjs');
  const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/e2e/vitest.config.mts', ...process.argv.slice(3)], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, LADE_E2E_SUITE: 'package', LADE_E2E_EXTENSION_DIR: extensionDir },
  });
  status = r.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
