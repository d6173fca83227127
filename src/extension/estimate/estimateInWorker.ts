// Runs one prior estimate in dist/estimate.worker.js and turns its messages into a promise with progress
// and cancellation. No vscode here: the cancellation token is anything with VS Code's token shape.
import { Worker } from 'node:worker_threads';
import { workerJob } from '../../core/workerJob';
import { checkMessage } from '../../core/message';
import {
  EstimateWorkerMessageSchema,
  type EstimateHostMessage,
  type EstimateJob,
  type EstimateWorkerMessage,
  type EstimateWorkerProgress,
  type PriorEstimate,
} from '../../protocol/estimateWorker';

export class EstimateCancelled extends Error {
  override readonly name = 'EstimateCancelled';
  constructor() {
    super('Estimate cancelled');
  }
}

/** The run, the folder or the images cannot be used; the message says which and why. */
export class EstimateJobError extends Error {
  override readonly name = 'EstimateJobError';
}

export interface CancelToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): unknown;
}

export function estimateInWorker(
  workerPath: string,
  job: EstimateJob,
  onProgress: (p: EstimateWorkerProgress) => void,
  token: CancelToken,
): Promise<PriorEstimate> {
  if (token.isCancellationRequested) return Promise.reject(new EstimateCancelled());
  const worker = new Worker(workerPath);
  const run = workerJob<PriorEstimate>(worker, {
    crashed: (err) => new Error(`The estimate worker crashed: ${err.message}`),
    exited: (code) => new Error(`The estimate worker stopped unexpectedly (exit code ${code}).`),
  });
  // Inference and the bootstrap are synchronous stretches: only terminating the thread stops them now.
  token.onCancellationRequested(() => run.reject(new EstimateCancelled()));
  worker.on('message', (raw: unknown) => {
    let m: EstimateWorkerMessage;
    try {
      m = checkMessage(EstimateWorkerMessageSchema, raw, 'estimate worker');
    } catch (err) {
      run.reject(err);
      return;
    }
    if (m.type === 'progress') {
      if (!run.settled()) onProgress(m.progress);
    } else if (m.type === 'result') run.resolve(m.estimate);
    else run.reject(m.input ? new EstimateJobError(m.message) : new Error(m.message));
  });
  const start: EstimateHostMessage = { type: 'start', job };
  worker.postMessage(start);
  return run.result;
}
