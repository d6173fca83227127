// A job in a worker thread as a promise. Whatever ends it first (its answer, a failure it reports, a crash,
// the thread exiting, a cancel) settles the promise, once, and terminates the thread; later events are
// ignored, so a late message or the exit that termination causes cannot overwrite the outcome.
import type { Worker } from 'node:worker_threads';

export interface WorkerJob<T> {
  readonly result: Promise<T>;
  /** True once the job has an outcome. */
  readonly settled: () => boolean;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export interface WorkerEnds {
  /** The error for an uncaught exception in the worker. */
  crashed(error: Error): unknown;
  /** The error for the thread exiting before the job settled. */
  exited(code: number): unknown;
}

export function workerJob<T>(worker: Worker, ends: WorkerEnds): WorkerJob<T> {
  let settled = false;
  let settle!: { resolve: (value: T) => void; reject: (error: unknown) => void };
  const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  const once =
    <A>(fn: (a: A) => void) =>
    (a: A): void => {
      if (settled) return;
      settled = true;
      fn(a);
      void worker.terminate();
    };
  const job: WorkerJob<T> = {
    result,
    settled: () => settled,
    resolve: once((value: T) => settle.resolve(value)),
    reject: once((error: unknown) => settle.reject(error)),
  };
  worker.on('error', (e: Error) => job.reject(ends.crashed(e)));
  worker.on('exit', (code: number) => job.reject(ends.exited(code)));
  return job;
}
