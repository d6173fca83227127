// Messages between the extension host and the scan worker thread (src/extension/workers/scan.worker.ts).
import type { AnalyzeResult } from '../core/dataset/types';
import type { AnalyzeProgress } from './analyze';
import { isRecord, MessageError, messageFields } from './validate';

export interface ScanJob {
  readonly root: string;
  readonly manifest?: string;
  readonly validate: boolean;
  readonly ignore: readonly string[];
  readonly manyThreshold: number;
  readonly fewThreshold: number;
  readonly beta: number;
}

export type ScanHostMessage = { readonly type: 'scan'; readonly job: ScanJob } | { readonly type: 'cancel' };

export type ScanWorkerMessage =
  | { readonly type: 'progress'; readonly progress: AnalyzeProgress }
  | { readonly type: 'result'; readonly result: AnalyzeResult }
  | { readonly type: 'error'; readonly message: string; readonly cancelled: boolean };

const CHANNEL = 'scan worker';

/** The worker is our own code, but a crash can still send garbage: check the shape before trusting it. */
export function parseScanWorkerMessage(raw: unknown): ScanWorkerMessage {
  const m = messageFields(raw, CHANNEL);
  switch (m.type) {
    case 'progress':
      if (!isRecord(m.progress) || typeof m.progress.filesSeen !== 'number') {
        throw new MessageError(`${CHANNEL}: progress without filesSeen`);
      }
      return m as unknown as ScanWorkerMessage;
    case 'result':
      if (!isRecord(m.result) || !Array.isArray(m.result.classes)) throw new MessageError(`${CHANNEL}: result without classes`);
      return m as unknown as ScanWorkerMessage;
    case 'error':
      return { type: 'error', message: String(m.message), cancelled: m.cancelled === true };
    default:
      throw new MessageError(`${CHANNEL}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}
