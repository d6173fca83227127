// Installs code-server into test/e2e/host from its lockfile, offline-safe, and skips the work when an
// install of the same lockfile is already there.
//
// Why the two steps: npm 11 runs dependency install scripts only when allowScripts approves them, and
// code-server's postinstall runs a nested `npm install` in lib/vscode whose own native modules (node-pty,
// kerberos, spdlog, ripgrep...) need their scripts too. The nested npm cannot be told so from outside:
// allow-scripts from the command line or the environment is an error in a project install, and npm
// exports the outer install's config to scripts as environment variables. So host/package.json denies
// code-server's script during `npm ci`, then we write lib/vscode/.npmrc (the nested project's own config,
// which is allowed) and run code-server's postinstall ourselves.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeServerDir, hostDir, resultsDir } from './paths';

interface HostConfig {
  readonly codeServerAllowScripts: readonly string[];
  readonly ripgrepCache: { readonly package: string; readonly tag: string; readonly target: string };
}

const marker = path.join(hostDir, 'node_modules/.lade-e2e-host');
export const installLog = path.join(resultsDir, 'host-install.log');

/** Files that a complete install has; a missing one names the step that silently did nothing. */
const expectedFiles = [
  'node_modules/argon2/lib/binding/napi-v3/argon2.node',
  'node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node',
  'node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
  'node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'node_modules/code-server/lib/vscode/node_modules/native-watchdog/build/Release/watchdog.node',
  'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg',
  'node_modules/code-server/lib/vscode/node_modules.asar',
];

function readHostConfig(): HostConfig {
  const manifest: unknown = JSON.parse(readFileSync(path.join(hostDir, 'package.json'), 'utf8'));
  const config = (manifest as { e2eHost?: Partial<HostConfig> }).e2eHost;
  if (!Array.isArray(config?.codeServerAllowScripts) || typeof config?.ripgrepCache?.tag !== 'string') {
    throw new Error(`${path.join(hostDir, 'package.json')}: field e2eHost needs codeServerAllowScripts and ripgrepCache`);
  }
  return config as HostConfig;
}

function lockHash(): string {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) h.update(readFileSync(path.join(hostDir, f)));
  h.update(process.version);
  return h.digest('hex');
}

export function hostIsInstalled(): boolean {
  return existsSync(marker) && readFileSync(marker, 'utf8') === lockHash();
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, step: string): Promise<void> {
  appendFileSync(installLog, `\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => appendFileSync(installLog, d));
    child.stderr.on('data', (d: Buffer) => appendFileSync(installLog, d));
    child.on('error', (err) => reject(installError(step, err.message)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(installError(step, `exit code ${String(code)}`))));
  });
}

function installError(step: string, why: string): Error {
  const tail = existsSync(installLog) ? readFileSync(installLog, 'utf8').split('\n').slice(-40).join('\n') : '';
  return new Error(`Installing code-server for the e2e tests failed at "${step}" (${why}).\n` +
    `Full log: ${installLog}\nLast lines:\n${tail}`);
}

function findOnPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/**
 * @vscode/ripgrep's postinstall downloads a release archive from GitHub unless it finds it cached under
 * $TMPDIR; we fill that cache from the system's ripgrep (Debian `ripgrep`) so the install needs no network
 * beyond the npm registry. Returns the TMPDIR to use.
 */
async function ripgrepCache(config: HostConfig): Promise<string> {
  const rg = findOnPath('rg');
  if (!rg) throw new Error('The e2e host install needs ripgrep on PATH (Debian: apt-get install ripgrep).');
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The e2e host install supports linux x64 only (this is ${process.platform} ${process.arch}).`);
  }
  const { package: version, tag, target } = config.ripgrepCache;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lade-e2e-install-'));
  const cache = path.join(tmp, `vscode-ripgrep-cache-${version}`);
  const stage = path.join(tmp, 'rg-stage');
  mkdirSync(cache);
  mkdirSync(stage);
  writeFileSync(path.join(stage, 'rg'), readFileSync(rg), { mode: 0o755 });
  await run('tar', ['czf', path.join(cache, `ripgrep-${tag}-${target}.tar.gz`), '-C', stage, 'rg'], tmp, process.env, 'ripgrep cache');
  return tmp;
}

const lockDir = path.join(hostDir, '.install-lock');
const staleLockMs = 20 * 60_000;

/**
 * Several test runs in one checkout must not install at once: the first takes the lock (an atomic mkdir),
 * the others wait for it and then find the host installed. A lock older than any install is left over
 * from a killed run and is taken over.
 */
async function withInstallLock(work: () => Promise<void>, log: (line: string) => void): Promise<void> {
  for (let waited = false; ; waited = true) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleLockMs) rmSync(lockDir, { recursive: true, force: true });
      if (!waited) log(`Another test run is installing code-server; waiting for it (${lockDir})`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
  try {
    if (!hostIsInstalled()) await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Installs code-server unless the same lockfile is already installed. Output goes to test-results/e2e/host-install.log. */
export async function ensureHostInstalled(log: (line: string) => void = () => {}): Promise<void> {
  if (hostIsInstalled()) return;
  await withInstallLock(() => install(log), log);
}

async function install(log: (line: string) => void): Promise<void> {
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(installLog, `code-server install for the e2e tests, ${new Date().toISOString()}\n`);
  log(`Installing code-server into ${hostDir} (a few minutes; log: ${installLog})`);
  const config = readHostConfig();
  const tmp = await ripgrepCache(config);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: tmp,
    // code-server's postinstall refuses to run as root without it (it checks the variable, not npm's config).
    npm_config_unsafe_perm: 'true',
    // node-pty's build calls npx, which would otherwise stop to ask.
    npm_config_yes: 'true',
  };
  try {
    rmSync(marker, { force: true });
    await run('npm', ['ci', '--no-audit', '--no-fund'], hostDir, env, 'npm ci');
    const vscodeDir = path.join(codeServerDir, 'lib/vscode');
    writeFileSync(path.join(vscodeDir, '.npmrc'), `allow-scripts=${config.codeServerAllowScripts.join(',')}\n`);
    await run('npm', ['run', 'postinstall'], codeServerDir, env, 'code-server postinstall');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const missing = expectedFiles.filter((f) => !existsSync(path.join(hostDir, f)));
  if (missing.length > 0) {
    throw installError('checking the install', `missing ${missing.join(', ')}; an install script was skipped or failed`);
  }
  writeFileSync(marker, lockHash());
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
