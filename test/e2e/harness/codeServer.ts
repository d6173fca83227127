// Starts code-server on a loopback port with throwaway user-data, extensions, config and HOME folders,
// and stops it by killing its whole process group (server, extension host, pty host, watchers).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeServerEntry } from './paths';

export interface CodeServerOptions {
  /** User settings (settings.json) on top of the quiet defaults below. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extra environment for the server and so for the extension host it forks; may depend on the folders. */
  readonly env?: Readonly<Record<string, string>> | ((dirs: CodeServerDirs) => Readonly<Record<string, string>>);
  /** Called with the temporary extensions folder before the server starts (to copy an extension in). */
  readonly prepareExtensions?: (extensionsDir: string) => void;
}

export interface CodeServerDirs {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly home: string;
}

export interface CodeServer {
  readonly url: string;
  readonly dirs: CodeServerDirs;
  /** Everything the server printed so far (for failure reports). */
  output(): string;
  stop(): Promise<void>;
}

const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  // The tests train with TF.js unless one asks for the PyTorch engine (auto would take torch wherever CI has it).
  'lade.engine': 'tfjs',
};

const startTimeoutMs = 60_000;

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-server-'));
  const dirs: CodeServerDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    home: path.join(root, 'home'),
  };
  for (const d of [dirs.userData, dirs.extensions, dirs.home, path.join(dirs.userData, 'User')]) mkdirSync(d, { recursive: true });
  writeFileSync(
    path.join(dirs.userData, 'User/settings.json'),
    JSON.stringify({ ...quietSettings, ...options.settings }, null, 2),
  );
  const config = path.join(root, 'config.yaml');
  writeFileSync(config, 'auth: none\n');
  options.prepareExtensions?.(dirs.extensions);

  const args = [
    codeServerEntry,
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--config', config,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const child = spawn(process.execPath, args, {
    // Its own process group, so stop() reaches every process it forks.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOME: dirs.home,
      XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
      XDG_DATA_HOME: path.join(dirs.home, '.local/share'),
      XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
      ...(typeof options.env === 'function' ? options.env(dirs) : options.env),
    },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const stop = async (): Promise<void> => {
    await killGroup(child);
    if (!process.env.LADE_E2E_KEEP) rmSync(root, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child, () => output);
    return { url, dirs, output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listeningUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`did not report a listening address within ${startTimeoutMs / 1000} s`),
      startTimeoutMs,
    );
    const onData = (): void => {
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(m[1]);
      }
    };
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`code-server ${why}.\nIts output:\n${output()}`));
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code) => fail(`exited with code ${String(code)} before listening`));
    child.on('error', (err) => fail(`could not start (${err.message})`));
  });
}

async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  // Forked children (extension host, pty host) may outlive the server.
  signal('SIGKILL');
}
