// Host side of the training worker: starts dist/train.worker.js, forwards progress and logs, cancels, and
// turns a crash or kill of the worker into a clear error that points at the intact last checkpoint.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EpochRecord, TrainedRunRecord } from '../runs/record';
import { checkMessage } from '../message';
import { WorkerToHostSchema, type HostToWorker, type LogLevel, type TrainProgress, type WorkerToHost } from './workerMessages';
import { checkpointPath } from './checkpoint';
import { resolveConfig, type TrainConfigInput } from './config';
import { workerJob } from '../workerJob';

export interface TrainingHandle {
  /** Resolves with the run record (status 'cancelled' after cancel()); rejects on a training error or crash. */
  readonly result: Promise<TrainedRunRecord>;
  onProgress(listener: (p: TrainProgress) => void): void;
  onLog(listener: (level: LogLevel, message: string) => void): void;
  /** Each finished epoch, as it is checkpointed. */
  onEpoch(listener: (record: EpochRecord) => void): void;
  /** Stops at the next step boundary, keeping a resumable checkpoint. */
  cancel(): void;
  /** Kills the worker at once; the last completed checkpoint stays intact. */
  terminate(): Promise<void>;
}

export interface WorkerOptions {
  /** The bundled worker script; default: train.worker.js next to this bundle (dist/). */
  readonly workerPath?: string;
}

function defaultWorkerPath(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return path.join(here, 'train.worker.js');
}

function crashMessage(what: string, outDir: string): string {
  const ckpt = checkpointPath(path.resolve(outDir));
  const tail = existsSync(ckpt)
    ? `The last checkpoint (${ckpt}) is intact: resume the run to continue from it.`
    : 'No checkpoint had been written yet.';
  return `The training worker ${what}. ${tail}`;
}

export function startTrainingWorker(input: TrainConfigInput, opts: WorkerOptions = {}): TrainingHandle {
  const config = resolveConfig(input);
  const workerPath = opts.workerPath ?? defaultWorkerPath();
  if (!existsSync(workerPath)) throw new Error(`Training worker script not found at '${workerPath}' (run npm run build).`);
  const worker = new Worker(workerPath);
  const progressListeners: ((p: TrainProgress) => void)[] = [];
  const logListeners: ((level: LogLevel, message: string) => void)[] = [];
  const epochListeners: ((record: EpochRecord) => void)[] = [];
  const run = workerJob<TrainedRunRecord>(worker, {
    crashed: (e) => new Error(crashMessage(`crashed (${e.message})`, config.outDir)),
    exited: (code) => new Error(crashMessage(`stopped unexpectedly (exit code ${code})`, config.outDir)),
  });
  worker.on('message', (raw: unknown) => {
    let msg: WorkerToHost;
    try {
      msg = checkMessage(WorkerToHostSchema, raw, 'training worker');
    } catch (e) {
      // As before the schemas: a malformed message is skipped (the run goes on), now with a warning.
      for (const l of logListeners) l('warn', `Ignored a message: ${(e as Error).message}`);
      return;
    }
    switch (msg.type) {
      case 'progress':
        for (const l of progressListeners) l(msg.progress);
        break;
      case 'log':
        for (const l of logListeners) l(msg.level, msg.message);
        break;
      case 'epoch':
        for (const l of epochListeners) l(msg.record);
        break;
      case 'result':
        run.resolve(msg.record);
        break;
      case 'error':
        run.reject(new Error(msg.message));
        break;
    }
  });

  const send = (msg: HostToWorker): void => worker.postMessage(msg);
  send({ type: 'start', config });
  return {
    result: run.result,
    onProgress: (l) => progressListeners.push(l),
    onLog: (l) => logListeners.push(l),
    onEpoch: (l) => epochListeners.push(l),
    cancel: () => send({ type: 'cancel' }),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
