// Runs an adjusted-model export in a worker thread and resolves with the backend it used.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { workerJob } from '../../core/workerJob';
import { checkMessage } from '../../core/message';
import { ExportWorkerMessageSchema, type ExportHostMessage, type ExportJob } from '../../protocol/exportWorker';

export function exportInWorker(distDir: string, job: ExportJob): Promise<{ name: string; reason: string }> {
  const worker = new Worker(path.join(distDir, 'export.worker.js'));
  const run = workerJob<{ name: string; reason: string }>(worker, {
    crashed: (err) => err,
    exited: (code) => new Error(`The export worker stopped unexpectedly (exit code ${code}).`),
  });
  worker.on('message', (raw: unknown) => {
    try {
      const m = checkMessage(ExportWorkerMessageSchema, raw, 'export worker');
      if (m.type === 'done') run.resolve(m.backend);
      else run.reject(new Error(m.message));
    } catch (err) {
      run.reject(err);
    }
  });
  const m: ExportHostMessage = { type: 'export', job };
  worker.postMessage(m);
  return run.result;
}
