// Runs ONNX inference in a worker thread: progress as it goes, cancelled through an AbortSignal (the
// thread is terminated), and the result or the worker's error as a promise.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as v from 'valibot';
import { workerJob } from '../workerJob';
import { FromWorkerSchema, type InferJob, type InferOutcome, type SplitProgress, type ToWorker } from './workerProtocol';

/** The model, a flag or an image is at fault: the CLI prints it as one line and exits 2. */
export class OnnxInputError extends Error {
  override readonly name = 'OnnxInputError';
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/** Next to the running bundle (dist/), where esbuild writes every *.worker.ts. */
export function defaultOnnxWorkerPath(): string {
  return path.join(typeof __dirname === 'string' ? __dirname : process.cwd(), 'onnxInfer.worker.js');
}

export interface WorkerHooks {
  readonly onProgress?: (p: SplitProgress) => void;
  readonly signal?: AbortSignal;
  /** The bundled worker script (default: defaultOnnxWorkerPath()). */
  readonly workerPath?: string;
}

export function inferInWorker(job: InferJob, hooks: WorkerHooks = {}): Promise<InferOutcome> {
  if (hooks.signal?.aborted) return Promise.reject(new CancelledError('cancelled'));
  const worker = new Worker(hooks.workerPath ?? defaultOnnxWorkerPath());
  const run = workerJob<InferOutcome>(worker, {
    crashed: (e) => e,
    exited: (code) => new Error(`The ONNX inference worker stopped unexpectedly (exit code ${code}).`),
  });
  const cancel = () => run.reject(new CancelledError('cancelled'));
  hooks.signal?.addEventListener('abort', cancel, { once: true });
  void run.result.catch(() => undefined).finally(() => hooks.signal?.removeEventListener('abort', cancel));
  worker.on('message', (raw: unknown) => {
    const parsed = v.safeParse(FromWorkerSchema, raw);
    if (!parsed.success) return run.reject(new Error(`ONNX worker sent a malformed message: ${parsed.issues[0]?.message}`));
    const m = parsed.output;
    if (m.type === 'progress') hooks.onProgress?.(m.progress);
    else if (m.type === 'result') run.resolve(m);
    else run.reject(m.inputError ? new OnnxInputError(m.message) : new Error(m.message));
  });
  const start: ToWorker = { type: 'start', job };
  worker.postMessage(start);
  return run.result;
}
