// "LADE: Install Native Backend": installs @tensorflow/tfjs-node(-gpu) into the extension's global storage
// with npm (a child process under a cancellable notification, its lines in the LADE output), then points
// the backend lookup at it through LADE_NATIVE_DIR.
import * as vscode from 'vscode';
import { requireTrust } from '../workspace';
import { outputChannel } from '../log';
import { NATIVE_VERSION, NativeInstallCancelled, installNativePackage, isInstalled, nativeDir, type NativePackage } from './npmInstall';

export const INSTALL_NATIVE_COMMAND = 'lade.installNativeBackend';

interface PackageItem extends vscode.QuickPickItem {
  readonly pkg: NativePackage;
}

const CHOICES: readonly PackageItem[] = [
  {
    label: '@tensorflow/tfjs-node',
    description: 'CPU, libtensorflow 2.9.1',
    detail: 'Native TensorFlow on the CPU; downloads libtensorflow (about 100 MB) during the install.',
    pkg: '@tensorflow/tfjs-node',
  },
  {
    label: '@tensorflow/tfjs-node-gpu',
    description: 'NVIDIA GPU, CUDA 11.2 / cuDNN 8.1',
    detail: 'Linux with an NVIDIA GPU; CUDA 11.2 and cuDNN 8.1 must already be installed.',
    pkg: '@tensorflow/tfjs-node-gpu',
  },
];

/**
 * The backend lookup (src/core/tf/backend.ts) reads LADE_NATIVE_DIR; worker threads inherit process.env,
 * so setting it here reaches training and estimation workers started afterwards.
 */
function useNativeDir(dir: string): void {
  process.env.LADE_NATIVE_DIR = dir;
}

/**
 * LADE_NPM names an npm that is not the one on PATH. (VS Code gives the extension host the PATH of the
 * user's login shell, so this is also how the e2e test puts its fake npm in.)
 */
function defaultNpm(): string {
  return process.env.LADE_NPM || (process.platform === 'win32' ? 'npm.cmd' : 'npm');
}

export interface InstallNativeOptions {
  /** npm executable; tests pass a fake one. */
  readonly npm?: string;
}

export function registerInstallNativeBackendCommand(context: vscode.ExtensionContext, opts: InstallNativeOptions = {}): vscode.Disposable {
  const storageDir = context.globalStorageUri.fsPath;
  const installed = nativeDir(storageDir);
  if (CHOICES.some((c) => isInstalled(installed, c.pkg))) useNativeDir(installed);

  return vscode.commands.registerCommand(INSTALL_NATIVE_COMMAND, async (): Promise<string | undefined> => {
    if (!(await requireTrust('installing a native backend runs npm and its install scripts'))) return undefined;
    const picked = await vscode.window.showQuickPick(CHOICES, {
      title: 'LADE: native TensorFlow backend to install',
      placeHolder: `Installs version ${NATIVE_VERSION} with npm; needs internet access (npm registry and storage.googleapis.com)`,
    });
    if (!picked) return undefined;
    const log = outputChannel();
    log.info(`Installing ${picked.pkg}@${NATIVE_VERSION} into ${installed} with npm`);
    log.show(true);
    try {
      const dir = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LADE: installing ${picked.pkg}`, cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return installNativePackage({
            npm: opts.npm ?? defaultNpm(),
            storageDir,
            pkg: picked.pkg,
            signal: abort.signal,
            onLine: (line) => {
              log.info(`[npm] ${line}`);
              progress.report({ message: line.length > 80 ? `${line.slice(0, 77)}...` : line });
            },
          });
        },
      );
      useNativeDir(dir);
      log.info(`Installed ${picked.pkg} in ${dir}; LADE_NATIVE_DIR=${dir}`);
      void vscode.window.showInformationMessage(
        `LADE: ${picked.pkg} is installed. Training and estimation with lade.backend 'tensorflow' (or 'auto', when no WebGPU adapter is found) now use it.`,
      );
      return dir;
    } catch (err) {
      if (err instanceof NativeInstallCancelled) {
        log.info(`Install of ${picked.pkg} cancelled; nothing was installed.`);
        return undefined;
      }
      const message = (err as Error).message;
      log.error(`Install of ${picked.pkg} failed: ${message}`);
      void vscode.window.showErrorMessage(`LADE: installing the native backend failed: ${message}`, 'Show Log').then((a) => (a ? log.show(true) : undefined));
      return undefined;
    }
  });
}
