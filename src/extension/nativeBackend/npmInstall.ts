// Installs @tensorflow/tfjs-node(-gpu) with npm in a child process, into a fresh temp folder that is renamed
// into place only when npm succeeded: a failed or cancelled install leaves nothing half-installed behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

/** The tfjs version the bundle is built with: tfjs-node must match it (both share one global engine). */
export const NATIVE_VERSION = '4.22.0';

export interface NativeInstallRequest {
  /** npm executable ('npm', 'npm.cmd' or a path); tests pass a fake. */
  readonly npm: string;
  /** The extension's global storage folder: the install ends up in <storageDir>/native. */
  readonly storageDir: string;
  readonly pkg: NativePackage;
  /** Every line npm prints, stdout and stderr. */
  readonly onLine: (line: string) => void;
  readonly signal?: AbortSignal;
}

export class NativeInstallCancelled extends Error {
  constructor() {
    super('The native backend install was cancelled.');
  }
}

export class NativeInstallError extends Error {}

export function nativeDir(storageDir: string): string {
  return path.join(storageDir, 'native');
}

/** True when <dir>/node_modules/<pkg> is there, i.e. a completed install (only those are renamed into place). */
export function isInstalled(dir: string, pkg: NativePackage): boolean {
  return existsSync(path.join(dir, 'node_modules', pkg, 'package.json'));
}

/**
 * npm 11 skips (or with strict-allow-scripts refuses) dependency install scripts not approved in the
 * project's allowScripts; tfjs-node's install script is what downloads libtensorflow, so approve it here.
 * core-js's postinstall only prints a funding banner: deny it so strict mode does not fail on it.
 */
function prefixManifest(pkg: NativePackage): string {
  return JSON.stringify({ name: 'lade-native-backend', private: true, allowScripts: { [pkg]: true, 'core-js': false } }, null, 2);
}

function npmArgs(prefix: string, pkg: NativePackage): string[] {
  // --ignore-scripts=false overrides a user's ignore-scripts=true; older npm ignores allowScripts and runs them.
  return ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts=false', '--prefix', prefix, `${pkg}@${NATIVE_VERSION}`];
}

/** What went wrong, in words a user can act on, read from npm's output. */
export function explainNpmFailure(lines: readonly string[], exitCode: number | null, pkg: NativePackage): string {
  const text = lines.join('\n');
  const netError = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/.exec(text)?.[1];
  if (netError && /libtensorflow|storage\.googleapis\.com/.test(text)) {
    return `${pkg} could not download libtensorflow 2.9.1 from storage.googleapis.com (${netError}): no internet access, or a proxy or firewall blocks it. Nothing was installed.`;
  }
  if (netError) return `npm could not reach the npm registry (${netError}): no internet access, or a proxy blocks it. Nothing was installed.`;
  if (/ESTRICTALLOWSCRIPTS|install scripts not covered by allowScripts/.test(text)) {
    return 'npm refused to run install scripts (strict-allow-scripts): see the LADE output for the packages it names. Nothing was installed.';
  }
  const last = [...lines].reverse().find((l) => /^npm (ERR!|error)/.test(l) && !/complete log of this run/.test(l));
  return `npm install ${pkg}@${NATIVE_VERSION} failed (exit code ${String(exitCode)})${last ? `: ${last}` : ''}. Nothing was installed.`;
}

/** Kills npm and everything it started (node scripts/install.js, its download). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  try {
    process.kill(-child.pid, 'SIGKILL'); // the child leads its own process group (detached: true)
  } catch {
    child.kill('SIGKILL');
  }
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk.toString('utf8')).split(/\r?\n/);
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) onLine(p);
  };
}

/** Runs npm; resolves when it exits 0, rejects with a NativeInstallError/NativeInstallCancelled otherwise. */
function runNpm(req: NativeInstallRequest, prefix: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) {
      reject(new NativeInstallCancelled());
      return;
    }
    const win = process.platform === 'win32';
    // On Windows npm is npm.cmd, which Node only spawns through a shell; quote the arguments for it.
    const args = npmArgs(prefix, req.pkg).map((a) => (win ? `"${a}"` : a));
    const child = spawn(req.npm, args, { detached: !win, shell: win, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const lines: string[] = [];
    const onLine = (line: string): void => {
      lines.push(line);
      if (lines.length > 400) lines.shift();
      req.onLine(line);
    };
    child.stdout?.on('data', splitLines(onLine));
    child.stderr?.on('data', splitLines(onLine));
    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
      killTree(child);
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      req.signal?.removeEventListener('abort', onAbort);
      reject(
        new NativeInstallError(
          err.code === 'ENOENT'
            ? `npm was not found ('${req.npm}' is not on the PATH of VS Code): install Node.js, which includes npm, and restart VS Code.`
            : `could not start npm ('${req.npm}'): ${err.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      req.signal?.removeEventListener('abort', onAbort);
      if (cancelled) reject(new NativeInstallCancelled());
      else if (code === 0) resolve();
      else reject(new NativeInstallError(explainNpmFailure(lines, code, req.pkg)));
    });
  });
}

/** Installs req.pkg into <storageDir>/native, replacing an earlier install only once the new one is complete. */
export async function installNativePackage(req: NativeInstallRequest): Promise<string> {
  await mkdir(req.storageDir, { recursive: true });
  const staging = await mkdtemp(path.join(req.storageDir, 'native-staging-'));
  const target = nativeDir(req.storageDir);
  try {
    await writeFile(path.join(staging, 'package.json'), prefixManifest(req.pkg));
    await runNpm(req, staging);
    if (!isInstalled(staging, req.pkg)) throw new NativeInstallError(`npm reported success but ${req.pkg} is not in ${staging}.`);
    // A folder cannot be renamed over a non-empty one: move the old install aside, then the new one in.
    const old = existsSync(target) ? `${staging}-previous` : undefined;
    if (old) await rename(target, old);
    try {
      await rename(staging, target);
    } catch (err) {
      if (old) await rename(old, target);
      throw err;
    }
    if (old) await rm(old, { recursive: true, force: true });
    return target;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
