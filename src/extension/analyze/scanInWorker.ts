// Runs a scan in a worker thread and turns its messages into a promise with progress and cancellation.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalyzeResult } from '../../core/dataset/types';
import { workerJob } from '../../core/workerJob';
import type { AnalyzeProgress } from '../../protocol/analyze';
import { checkMessage } from '../../core/message';
import { ScanWorkerMessageSchema, type ScanHostMessage, type ScanJob } from '../../protocol/scanWorker';

export class ScanCancelled extends Error {
  constructor() {
    super('Scan cancelled');
    this.name = 'ScanCancelled';
  }
}

export function scanInWorker(
  distDir: string,
  job: ScanJob,
  onProgress: (p: AnalyzeProgress) => void,
  cancelled: { onCancellationRequested(listener: () => void): unknown; isCancellationRequested: boolean },
): Promise<AnalyzeResult> {
  const worker = new Worker(path.join(distDir, 'scan.worker.js'));
  const post = (m: ScanHostMessage) => worker.postMessage(m);
  const run = workerJob<AnalyzeResult>(worker, {
    crashed: (err) => err,
    exited: (code) => new Error(`The scan worker stopped unexpectedly (exit code ${code}).`),
  });
  cancelled.onCancellationRequested(() => {
    post({ type: 'cancel' });
    // A walk blocked in a syscall may not see the abort soon; the user asked to stop now.
    run.reject(new ScanCancelled());
  });
  worker.on('message', (raw: unknown) => {
    let m;
    try {
      m = checkMessage(ScanWorkerMessageSchema, raw, 'scan worker');
    } catch (err) {
      run.reject(err);
      return;
    }
    if (m.type === 'progress') onProgress(m.progress);
    else if (m.type === 'result') run.resolve(m.result);
    else run.reject(m.cancelled ? new ScanCancelled() : new Error(m.message));
  });
  if (cancelled.isCancellationRequested) run.reject(new ScanCancelled());
  else post({ type: 'scan', job });
  return run.result;
}
