// Before any e2e file: clear the previous run's failure screenshots and logs, and install code-server
// if this checkout has no install of the current lockfile yet.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureHostInstalled, installLog } from './harness/hostInstall';
import { resultsDir } from './harness/paths';

export default async function setup(): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  for (const f of readdirSync(resultsDir)) {
    const p = path.join(resultsDir, f);
    if (p !== installLog && /\.(png|log)$/.test(f)) rmSync(p);
  }
  await ensureHostInstalled((line) => console.log(`[e2e] ${line}`));
}
