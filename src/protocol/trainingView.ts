// The contract between the "LADE Training" panel view and its host: the host pushes every run's state
// with one `setState`; the webview can only ask to cancel a running run or open a finished one's results.
import type { EpochRecord, LossKind, TrainProgress } from './training';
import { MessageError, messageFields, stringField } from './validate';

export type RunViewStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface TrainingRunView {
  readonly name: string;
  readonly loss: LossKind;
  readonly status: RunViewStatus;
  readonly backend?: { readonly name: string; readonly reason: string };
  readonly progress?: TrainProgress;
  readonly history: readonly EpochRecord[];
  readonly error?: string;
}

/** Most recent run first. */
export interface TrainingViewState {
  readonly runs: readonly TrainingRunView[];
}

export type TrainingViewHostMessage = { readonly type: 'setState'; readonly state: TrainingViewState };

export type TrainingViewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'cancel'; readonly name: string }
  | { readonly type: 'openResults'; readonly name: string };

const CHANNEL = 'training view';

export function parseTrainingViewMessage(raw: unknown): TrainingViewMessage {
  const m = messageFields(raw, CHANNEL);
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'cancel':
    case 'openResults':
      return { type: m.type, name: stringField(m, 'name', CHANNEL, 256) };
    default:
      throw new MessageError(`${CHANNEL}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}
