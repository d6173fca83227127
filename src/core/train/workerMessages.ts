// The typed contract between a training worker and its host (extension, CLI): progress, logs, epochs and
// the finished run's record. Pure types plus guards, safe for every side; src/protocol re-exports it.
import type { TrainConfig } from '../runs/config';
import type { EpochRecord, TrainedRunRecord } from '../runs/record';

export type Phase = 'scan' | 'decode' | 'train' | 'evaluate';

export interface TrainProgress {
  readonly phase: Phase;
  /** 1-based epoch; 0 before training starts. */
  readonly epoch: number;
  readonly epochs: number;
  /** Step within the phase (images decoded, batches trained, batches evaluated). */
  readonly step: number;
  readonly steps: number;
  /** Running means over the current epoch. */
  readonly loss: { readonly total: number };
  readonly accuracy: number;
  readonly lr: number;
  readonly imagesPerSec: number;
  readonly etaSec: number;
  readonly backend: string;
  /** Why that backend was chosen (also in the log and run.json). */
  readonly backendReason: string;
}

export type HostToWorker = { readonly type: 'start'; readonly config: TrainConfig } | { readonly type: 'cancel' };

export type LogLevel = 'info' | 'warn';

export type WorkerToHost =
  | { readonly type: 'progress'; readonly progress: TrainProgress }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string }
  | { readonly type: 'epoch'; readonly record: EpochRecord }
  | { readonly type: 'result'; readonly record: TrainedRunRecord }
  | { readonly type: 'error'; readonly message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function isHostToWorker(v: unknown): v is HostToWorker {
  return isObject(v) && (v.type === 'cancel' || (v.type === 'start' && isObject(v.config)));
}

export function isWorkerToHost(v: unknown): v is WorkerToHost {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'progress':
      return isObject(v.progress);
    case 'log':
      return typeof v.message === 'string';
    case 'epoch':
    case 'result':
      return isObject(v.record);
    case 'error':
      return typeof v.message === 'string';
    default:
      return false;
  }
}
