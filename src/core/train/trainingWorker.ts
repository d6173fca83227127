// Host side of the training worker: starts dist/train.worker.js, forwards progress and logs, cancels, and
// turns a crash or kill of the worker into a clear error that points at the intact last checkpoint.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TrainedRunRecord } from '../runs/record';
import type { HostToWorker } from './workerMessages';
import { TrainingEvents, type TrainingHandle } from './trainingEvents';
import { checkpointPath } from './checkpoint';
import { resolveConfig, type TrainConfigInput } from './config';
import { workerJob } from '../workerJob';

export type { TrainingHandle };


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
  const events = new TrainingEvents();
  const run = workerJob<TrainedRunRecord>(worker, {
    crashed: (e) => new Error(crashMessage(`crashed (${e.message})`, config.outDir)),
    exited: (code) => new Error(crashMessage(`stopped unexpectedly (exit code ${code})`, config.outDir)),
  });
  worker.on('message', (raw: unknown) => {
    const final = events.dispatch(raw, 'training worker');
    if (final?.type === 'result') run.resolve(final.record);
    else if (final?.type === 'error') run.reject(new Error(final.message));
  });

  const send = (msg: HostToWorker): void => worker.postMessage(msg);
  send({ type: 'start', config });
  return {
    result: run.result,
    ...events.subscriptions(),
    cancel: () => send({ type: 'cancel' }),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
