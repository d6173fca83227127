// Runs one prior estimate in dist/estimate.worker.js and turns its messages into a promise with progress
// and cancellation. No vscode here: the cancellation token is anything with VS Code's token shape.
import { Worker } from 'node:worker_threads';
import {
  parseEstimateWorkerMessage,
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
  return new Promise<PriorEstimate>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    // Inference and the bootstrap are synchronous stretches: only terminating the thread stops them now.
    token.onCancellationRequested(() => finish(() => reject(new EstimateCancelled())));
    worker.on('message', (raw: unknown) => {
      let m: EstimateWorkerMessage;
      try {
        m = parseEstimateWorkerMessage(raw);
      } catch (err) {
        finish(() => reject(err));
        return;
      }
      if (m.type === 'progress') {
        if (!settled) onProgress(m.progress);
      } else if (m.type === 'result') finish(() => resolve(m.estimate));
      else finish(() => reject(m.input ? new EstimateJobError(m.message) : new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(new Error(`The estimate worker crashed: ${err.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`The estimate worker stopped unexpectedly (exit code ${code}).`))));
    const start: EstimateHostMessage = { type: 'start', job };
    worker.postMessage(start);
  });
}
