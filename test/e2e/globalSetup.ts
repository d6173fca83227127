// Before any e2e file: install code-server if this checkout has no install of the current lockfile yet.
import { ensureHostInstalled } from './harness/hostInstall';

export default async function setup(): Promise<void> {
  await ensureHostInstalled((line) => console.log(`[e2e] ${line}`));
}
