// lade.installNativeBackend with vscode mocked and fake npm executables: the trust check, the quick pick,
// npm's arguments and allowScripts, streamed lines, the atomic rename, offline and missing-npm errors,
// and cancel killing npm's whole process tree while leaving nothing behind.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as vscode from 'vscode';
import { commands, Uri, window, workspace } from 'vscode';
import { registerInstallNativeBackendCommand } from '../../../../src/extension/nativeBackend/command';
import { writeFakeNpm, type FakeNpmMode } from '../../../support/fakeNpm';

vi.mock('vscode');

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };
const root = mkdtempSync(path.join(tmpdir(), 'lade-native-command-'));
const mockWorkspace = workspace as unknown as { isTrusted: boolean };
let storage: string;
let recordDir: string;

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  vi.clearAllMocks();
  mockWorkspace.isTrusted = true;
  delete process.env.LADE_NATIVE_DIR;
  storage = mkdtempSync(path.join(root, 'storage-'));
  recordDir = mkdtempSync(path.join(root, 'record-'));
  vi.mocked(window.createOutputChannel).mockReturnValue(log as unknown as vscode.LogOutputChannel);
  vi.mocked(window.showErrorMessage).mockResolvedValue(undefined);
});

/** Registers the command against a fake npm and returns it. */
function command(mode: FakeNpmMode | { npm: string }): () => Promise<string | undefined> {
  const npm = typeof mode === 'string' ? writeFakeNpm(recordDir, mode, recordDir) : mode.npm;
  vi.mocked(commands.registerCommand).mockClear();
  registerInstallNativeBackendCommand({ globalStorageUri: Uri.file(storage) } as vscode.ExtensionContext, { npm });
  return vi.mocked(commands.registerCommand).mock.calls[0]![1] as () => Promise<string | undefined>;
}

function pick(index: number): void {
  vi.mocked(window.showQuickPick).mockImplementation(async (items) => (await items)[index]);
}

/** withProgress that runs the task at once; cancels the token once `cancelAfter` messages were reported. */
function runProgress(messages: string[], cancelAfter = Number.POSITIVE_INFINITY): void {
  vi.mocked(window.withProgress).mockImplementation(async (_options, task) => {
    const listeners: (() => void)[] = [];
    const token = { isCancellationRequested: false, onCancellationRequested: (l: () => void) => listeners.push(l) };
    const progress = {
      report: (r: { message?: string }) => {
        messages.push(r.message ?? '');
        if (messages.length === cancelAfter) for (const l of listeners) l();
      },
    };
    return task(progress, token as unknown as vscode.CancellationToken);
  });
}

/** What is left in the storage folder besides a complete install: must stay empty after a failure. */
function leftovers(): string[] {
  return readdirSync(storage).filter((f) => f !== 'native');
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z'; // a zombie is dead, only not yet reaped
  } catch {
    return false;
  }
}

describe('lade.installNativeBackend', () => {
  it('needs a trusted workspace', async () => {
    mockWorkspace.isTrusted = false;
    expect(await command('succeed')()).toBeUndefined();
    expect(window.showWarningMessage).toHaveBeenCalledWith(expect.stringContaining('needs a trusted workspace'), 'Manage Workspace Trust');
    expect(window.showQuickPick).not.toHaveBeenCalled();
  });

  it('installs nothing when the pick is dismissed', async () => {
    vi.mocked(window.showQuickPick).mockResolvedValue(undefined);
    expect(await command('succeed')()).toBeUndefined();
    expect(window.withProgress).not.toHaveBeenCalled();
    expect(readdirSync(storage)).toEqual([]);
  });

  it('installs the picked package with npm into <globalStorage>/native and points LADE_NATIVE_DIR at it', async () => {
    pick(0);
    const messages: string[] = [];
    runProgress(messages);
    const dir = await command('succeed')();

    const native = path.join(storage, 'native');
    expect(dir).toBe(native);
    expect(process.env.LADE_NATIVE_DIR).toBe(native);
    expect(existsSync(path.join(native, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json'))).toBe(true);
    expect(leftovers()).toEqual([]);
    const call = JSON.parse(readFileSync(path.join(recordDir, 'npm-call.json'), 'utf8')) as { args: string[]; manifest: { allowScripts: Record<string, boolean> } };
    expect(call.args).toEqual(expect.arrayContaining(['install', '--no-save', '--ignore-scripts=false', '--prefix', '@tensorflow/tfjs-node@4.22.0']));
    expect(call.args[call.args.indexOf('--prefix') + 1]).toMatch(/native-staging-/);
    expect(call.manifest.allowScripts).toEqual({ '@tensorflow/tfjs-node': true, 'core-js': false });
    expect(vi.mocked(window.withProgress).mock.calls[0]![0]).toMatchObject({ location: vscode.ProgressLocation.Notification, cancellable: true });
    expect(messages).toContain('added 71 packages in 3s');
    expect(log.info).toHaveBeenCalledWith('[npm] added 71 packages in 3s');
    expect(window.showInformationMessage).toHaveBeenCalledWith(expect.stringContaining("lade.backend 'tensorflow' (or 'auto'"));
  });

  it('replaces an earlier install with the new package, and a restart finds it', async () => {
    pick(0);
    runProgress([]);
    await command('succeed')();
    pick(1);
    await command('succeed')();
    const modules = path.join(storage, 'native', 'node_modules', '@tensorflow');
    expect(readdirSync(modules)).toEqual(['tfjs-node-gpu']);
    expect(leftovers()).toEqual([]);
    delete process.env.LADE_NATIVE_DIR;
    command('succeed'); // registering again, as on the next activation
    expect(process.env.LADE_NATIVE_DIR).toBe(path.join(storage, 'native'));
  });

  it('says libtensorflow could not be downloaded when offline, and keeps the earlier install intact', async () => {
    pick(1);
    runProgress([]);
    await command('succeed')();
    pick(0);
    expect(await command('offline')()).toBeUndefined();
    const [message] = vi.mocked(window.showErrorMessage).mock.calls[0]! as unknown as [string];
    expect(message).toMatch(/could not download libtensorflow 2\.9\.1 from storage\.googleapis\.com \(ENOTFOUND\): no internet access/);
    expect(log.info).toHaveBeenCalledWith('[npm] npm error Error: getaddrinfo ENOTFOUND storage.googleapis.com');
    expect(readdirSync(path.join(storage, 'native', 'node_modules', '@tensorflow'))).toEqual(['tfjs-node-gpu']);
    expect(leftovers()).toEqual([]);
  });

  it('leaves nothing behind when a first install fails', async () => {
    pick(0);
    runProgress([]);
    expect(await command('offline')()).toBeUndefined();
    expect(readdirSync(storage)).toEqual([]);
    expect(process.env.LADE_NATIVE_DIR).toBeUndefined();
  });

  it('says npm is missing when it cannot be started', async () => {
    pick(0);
    runProgress([]);
    const missing = path.join(root, 'no-such-dir', 'npm');
    expect(await command({ npm: missing })()).toBeUndefined();
    expect(window.showErrorMessage).toHaveBeenCalledWith(expect.stringContaining(`npm was not found ('${missing}' is not on the PATH of VS Code)`), 'Show Log');
    expect(readdirSync(storage)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('cancel kills npm and what it started, and leaves nothing behind', async () => {
    pick(0);
    runProgress([], 2); // the fetch line, then '* Downloading libtensorflow'
    expect(await command('hang')()).toBeUndefined();
    const pid = Number(readFileSync(path.join(recordDir, 'grandchild.pid'), 'utf8'));
    await vi.waitFor(() => expect(isAlive(pid)).toBe(false), { timeout: 5000 });
    expect(readdirSync(storage)).toEqual([]);
    expect(window.showErrorMessage).not.toHaveBeenCalled();
    expect(log.info).toHaveBeenCalledWith('Install of @tensorflow/tfjs-node cancelled; nothing was installed.');
  });
});
