// Runs one logits import in dist/import.worker.js as a promise with progress and cancellation. A cancel
// terminates the thread and removes the half-written staging folder, so a cancelled import leaves no run.
// No vscode here: the cancellation token is anything with VS Code's token shape.
import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import * as v from 'valibot';
import { stagingDir } from '../../core/import';
import { UserError } from '../../core/userError';
import { workerJob } from '../../core/workerJob';
import { ImportWorkerMessageSchema, type ImportedRun, type ImportHostMessage, type ImportJob } from '../../protocol/importWorker';
import type { CancelToken } from '../estimate/estimateInWorker';

export class ImportCancelled extends Error {
  override readonly name = 'ImportCancelled';
  constructor() {
    super('Import cancelled');
  }
}

/** The files cannot be imported (wrong shape, unknown class, run exists...); the message says which and why. */
export class ImportJobError extends UserError {
  override readonly name = 'ImportJobError';
}

export interface ImportStep {
  readonly split: string;
  readonly done: number;
  readonly total: number;
}

export function importInWorker(workerPath: string, job: ImportJob, onProgress: (p: ImportStep) => void, token: CancelToken): Promise<ImportedRun> {
  if (token.isCancellationRequested) return Promise.reject(new ImportCancelled());
  const worker = new Worker(workerPath);
  const run = workerJob<ImportedRun>(worker, {
    crashed: (err) => new Error(`The import worker crashed: ${err.message}`),
    exited: (code) => new Error(`The import worker stopped unexpectedly (exit code ${code}).`),
  });
  token.onCancellationRequested(() => {
    if (run.settled()) return;
    run.reject(new ImportCancelled());
    // The worker shares this process's pid, so its staging folder is the one stagingDir names here.
    void worker.terminate().then(() => rmSync(stagingDir(job.runDir), { recursive: true, force: true }));
  });
  worker.on('message', (raw: unknown) => {
    const parsed = v.safeParse(ImportWorkerMessageSchema, raw);
    if (!parsed.success) return run.reject(new Error(`The import worker sent a malformed message: ${parsed.issues[0]?.message}`));
    const m = parsed.output;
    if (m.type === 'progress') {
      if (!run.settled()) onProgress(m);
    } else if (m.type === 'result') run.resolve(m.run);
    else run.reject(m.input ? new ImportJobError(m.message) : new Error(m.message));
  });
  const start: ImportHostMessage = { type: 'start', job };
  worker.postMessage(start);
  return run.result;
}
