// Runs the PyTorch engine (python -m lade_torch.train, or lade_torch.launch for DDP) as a child process and
// turns its JSON-lines output (the training worker protocol) into the same handle the TF.js worker gives,
// so the CLI and the Training view need no engine-specific code. Cancel is SIGTERM: the engine finishes the
// step, writes its checkpoint and reports the cancelled run. A crash marks the run failed with stderr's tail.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { readRun } from '../runs/reader';
import type { TrainedRunRecord } from '../runs/record';
import { writeRun } from '../runs/writer';
import type { TrainHooks } from '../train/trainRun';
import type { TrainingHandle } from '../train/trainingWorker';
import { UserError } from '../userError';
import { prepareRunFolder } from '../train/runFolder';
import { TrainingEvents } from '../train/trainingEvents';
import type { TorchDevice } from './engine';
import { torchPackageDir } from './python';

/** The TrainConfig as JSON; the torch engine also reads model 'tv:<name>', loss 'la', finetune.weights (python/README.md). */
export type TorchConfig = Readonly<Record<string, unknown>> & { readonly dataDir: string; readonly outDir: string; readonly resume?: boolean };

export interface TorchRunOptions {
  readonly python: string;
  readonly device?: TorchDevice;
  /** Processes on this machine (DDP through lade_torch.launch when above 1). */
  readonly nproc?: number;
  /** lade_torch's parent folder (default: torchPackageDir()). */
  readonly packageDir?: string;
}

/** The engine refused the run (exit status 2: a config, dataset or resume mistake), as opposed to failing in it. */
export class TorchUserError extends UserError {}

const STDERR_TAIL = 4000;

/** The command line after the interpreter. */
export function torchArgs(configFile: string, opts: Pick<TorchRunOptions, 'device' | 'nproc'>, resume: boolean): string[] {
  const train = ['--config', configFile, '--device', opts.device ?? 'auto', ...(resume ? ['--resume'] : [])];
  const nproc = opts.nproc ?? 1;
  return nproc > 1 ? ['-m', 'lade_torch.launch', '--nproc', String(nproc), '--', ...train] : ['-m', 'lade_torch.train', ...train];
}

/** The environment that lets `python -m lade_torch.*` import the bundled package. */
export function torchEnv(packageDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const pythonPath = [packageDir, base.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return { ...base, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1' };
}

/** After a crash, run.json may still say "running": record the failure and why. */
function markFailed(outDir: string, error: string): void {
  try {
    const { record } = readRun(outDir);
    if (record.status === 'running') writeRun(outDir, { ...record, status: 'failed', error });
  } catch {
    // No readable run.json yet: nothing to mark.
  }
}

export function startTorchTraining(config: TorchConfig, opts: TorchRunOptions): TrainingHandle {
  const packageDir = opts.packageDir ?? torchPackageDir();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lade-torch-'));
  const configFile = path.join(tmp, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...config, resume: undefined }));
  const child = spawn(opts.python, torchArgs(configFile, opts, config.resume === true), {
    env: torchEnv(packageDir),
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    // Its own process group: a terminal's Ctrl-C reaches only us, and we pass it on as one SIGTERM.
    detached: process.platform !== 'win32',
  });
  // ...but never outlive us: a host that quits takes the engine with it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const events = new TrainingEvents();
  let record: TrainedRunRecord | undefined;
  let reported: string | undefined;
  let stderr = '';
  let spawnError: Error | undefined;

  createInterface({ input: child.stdout }).on('line', (line) => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      // Not a protocol line (a library printing to stdout): keep it as a log line.
      events.log('info', line);
      return;
    }
    const final = events.dispatch(raw, 'PyTorch engine');
    if (final?.type === 'result') record = final.record;
    else if (final?.type === 'error') reported = final.message.replaceAll(`${configFile}: `, '');
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  child.on('error', (err) => {
    spawnError = err;
  });

  const result = new Promise<TrainedRunRecord>((resolve, reject) => {
    child.on('close', (code, signal) => {
      process.off('exit', killOnExit);
      rmSync(tmp, { recursive: true, force: true });
      if (spawnError) {
        reject(new Error(`Cannot start the PyTorch engine with ${opts.python}: ${spawnError.message}`));
      } else if (record && (code === 0 || record.status === 'cancelled')) {
        resolve(record);
      } else if (reported !== undefined) {
        reject(code === 2 ? new TorchUserError(reported) : new Error(reported));
      } else {
        const how = signal ? `was killed (${signal})` : `stopped unexpectedly (exit code ${code})`;
        const lines = stderr.trim().split('\n').slice(-12);
        // The last line (the exception) leads, as views show an error's first line; the tail follows.
        const message = `The PyTorch engine ${how}${lines[0] ? `: ${lines[lines.length - 1]}\n${lines.join('\n')}` : '.'}`;
        markFailed(path.resolve(config.outDir), message);
        reject(new Error(message));
      }
    });
  });

  return {
    result,
    ...events.subscriptions(),
    cancel: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
    terminate: async () => {
      if (child.exitCode !== null) return;
      const closed = new Promise((r) => child.once('close', r));
      child.kill('SIGKILL');
      await closed;
    },
  };
}

/** The torch engine behind the TF.js trainRun's hooks: an aborted signal cancels (checkpoint, then stop). */
export function trainWithTorch(config: TorchConfig, opts: TorchRunOptions, hooks: TrainHooks = {}): Promise<TrainedRunRecord> {
  // The same refusals and --force as the TF.js engine; the engine itself then finds a fresh folder.
  prepareRunFolder(path.resolve(config.outDir), path.resolve(config.dataDir), { resume: config.resume === true, force: hooks.force === true });
  const handle = startTorchTraining(config, opts);
  if (hooks.onProgress) handle.onProgress(hooks.onProgress);
  if (hooks.onLog) handle.onLog(hooks.onLog);
  if (hooks.onEpoch) handle.onEpoch(hooks.onEpoch);
  if (hooks.signal?.aborted) handle.cancel();
  hooks.signal?.addEventListener('abort', () => handle.cancel(), { once: true });
  return handle.result;
}
