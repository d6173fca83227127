// Messages between the extension host and the export worker (src/extension/workers/export.worker.ts), which
// loads a run's TF.js model, folds the adjustment into its last bias and saves it, off the host thread.
import type { AdjustmentFile } from '../core/priors/adjustment';
import type { BackendSetting } from './training';
import { isRecord, MessageError, messageFields, stringField } from './validate';

export interface ExportJob {
  readonly modelJson: string;
  readonly outDir: string;
  readonly backend: BackendSetting;
  readonly adjustment: AdjustmentFile;
}

export type ExportHostMessage = { readonly type: 'export'; readonly job: ExportJob };

export type ExportWorkerMessage =
  | { readonly type: 'done'; readonly backend: { readonly name: string; readonly reason: string } }
  | { readonly type: 'error'; readonly message: string };

const CHANNEL = 'export worker';

export function parseExportWorkerMessage(raw: unknown): ExportWorkerMessage {
  const m = messageFields(raw, CHANNEL);
  switch (m.type) {
    case 'done': {
      const b = m.backend;
      if (!isRecord(b)) throw new MessageError(`${CHANNEL}: 'backend' must be an object`);
      return { type: 'done', backend: { name: stringField(b, 'name', CHANNEL, 64), reason: stringField(b, 'reason', CHANNEL) } };
    }
    case 'error':
      return { type: 'error', message: stringField(m, 'message', CHANNEL, 16_384) };
    default:
      throw new MessageError(`${CHANNEL}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}
