// "LADE: Install Native Backend" in a real VS Code. The npm it runs is a fake named by LADE_NPM
// (test/support/fakeNpm.ts): first as npm fails offline, when tfjs-node's install script cannot reach
// storage.googleapis.com (npm's captured output), then as an install that succeeds. The user sees why it
// failed and that nothing was installed, and after the second run the package sits in global storage.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_VERSION } from '../../src/extension/nativeBackend/npmInstall';
import { writeFakeNpm, type FakeNpmMode } from '../support/fakeNpm';
import { writeFolderDataset } from './harness/dataset';
import { useWorkbench } from './harness/session';
import { shownMessages } from './harness/workbench';

let fakeBin = '';

/** An `npm` that runs the fake named in fakeBin/mode, so one session can try both outcomes. */
function installFakeNpm(home: string): string {
  fakeBin = path.join(home, 'fake-npm');
  mkdirSync(fakeBin, { recursive: true });
  for (const mode of ['offline', 'succeed'] as const) writeFakeNpm(fakeBin, mode, fakeBin);
  const npm = path.join(fakeBin, 'npm');
  writeFileSync(npm, `#!/bin/sh\nexec "${fakeBin}/npm-$(cat "${fakeBin}/mode")" "$@"\n`);
  chmodSync(npm, 0o755);
  return npm;
}

function useMode(mode: FakeNpmMode): void {
  writeFileSync(path.join(fakeBin, 'mode'), mode);
}

describe('Install Native Backend from the command palette', () => {
  const vs = useWorkbench({
    workspace: (scratch) => writeFolderDataset({ cat: 2 }, { parent: scratch }),
    env: (dirs) => ({ LADE_NPM: installFakeNpm(dirs.home) }),
  });

  const nativeDir = (): string => path.join(vs.server.dirs.userData, 'User', 'globalStorage', 'lade-studio.lade-studio', 'native');
  const toast = (text: string) => vs.page.locator('.notification-toast', { hasText: text });

  async function install(): Promise<void> {
    await vs.runCommand('LADE: Install Native Backend');
    const cpu = vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'CPU, libtensorflow 2.9.1' });
    await cpu.click({ timeout: 30_000 });
  }

  it('says libtensorflow could not be downloaded and installs nothing, then installs when npm succeeds', async () => {
    useMode('offline');
    await install();
    const failed = toast('installing the native backend failed');
    await failed.waitFor({ timeout: 60_000 }).catch(async () => {
      throw new Error(`No failure notification. VS Code shows: ${(await shownMessages(vs.page)).join(' | ')}`);
    });
    expect((await failed.innerText()).replace(/\s+/g, ' ')).toMatch(
      /@tensorflow\/tfjs-node could not download libtensorflow 2\.9\.1 from storage\.googleapis\.com \(ENOTFOUND\): no internet access/,
    );
    expect(existsSync(nativeDir()), 'an install folder after a failed install').toBe(false);
    const call = JSON.parse(readFileSync(path.join(fakeBin, 'npm-call.json'), 'utf8')) as { args: string[] };
    expect(call.args).toContain(`@tensorflow/tfjs-node@${NATIVE_VERSION}`);
    await failed.locator('.codicon-notifications-clear').click().catch(() => undefined);

    useMode('succeed');
    await install();
    const installed = toast('@tensorflow/tfjs-node is installed');
    await installed.waitFor({ timeout: 60_000 }).catch(async () => {
      throw new Error(`No success notification. VS Code shows: ${(await shownMessages(vs.page)).join(' | ')}`);
    });
    expect(existsSync(path.join(nativeDir(), 'node_modules', '@tensorflow', 'tfjs-node', 'package.json'))).toBe(true);
  });
});
