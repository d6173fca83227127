// Runs an adjusted-model export in a worker thread and resolves with the backend it used.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseExportWorkerMessage, type ExportHostMessage, type ExportJob } from '../../protocol/exportWorker';

export function exportInWorker(distDir: string, job: ExportJob): Promise<{ name: string; reason: string }> {
  const worker = new Worker(path.join(distDir, 'export.worker.js'));
  return new Promise<{ name: string; reason: string }>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (raw: unknown) => {
      try {
        const m = parseExportWorkerMessage(raw);
        finish(() => (m.type === 'done' ? resolve(m.backend) : reject(new Error(m.message))));
      } catch (err) {
        finish(() => reject(err));
      }
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`The export worker stopped unexpectedly (exit code ${code}).`))));
    const m: ExportHostMessage = { type: 'export', job };
    worker.postMessage(m);
  });
}
