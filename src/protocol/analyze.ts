// The contract between the Analyze panel's host (src/extension/analyze) and its webview (webview/analyze).
// The host pushes the whole state with `setState` (never deltas) and only after the webview said `ready`.
import type { AnalyzeResult } from '../core/dataset/types';
import { MessageError, messageFields, oneOf, stringField } from './validate';

export interface AnalyzeProgress {
  readonly phase: 'scan' | 'validate' | 'statistics';
  readonly filesSeen: number;
}

/** Everything the panel shows; `status` makes loading and failure explicit so the view never spins forever. */
export type AnalyzeState =
  | { readonly status: 'loading'; readonly root: string; readonly progress?: AnalyzeProgress }
  | { readonly status: 'ready'; readonly root: string; readonly result: AnalyzeResult }
  | { readonly status: 'error'; readonly root: string; readonly error: string };

/** Host -> webview. */
export type AnalyzeHostMessage = { readonly type: 'setState'; readonly state: AnalyzeState };

/** Webview -> host. */
export type AnalyzeWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'rescan' }
  | { readonly type: 'revealClass'; readonly className: string }
  | { readonly type: 'export'; readonly format: 'json' | 'csv' };

const CHANNEL = 'analyze webview';

/** Accepts exactly the messages above; anything else is rejected with a MessageError. */
export function parseAnalyzeWebviewMessage(raw: unknown): AnalyzeWebviewMessage {
  const m = messageFields(raw, CHANNEL);
  switch (m.type) {
    case 'ready':
    case 'rescan':
      return { type: m.type };
    case 'revealClass':
      return { type: 'revealClass', className: stringField(m, 'className', CHANNEL, 1024) };
    case 'export':
      return { type: 'export', format: oneOf(m, 'format', ['json', 'csv'] as const, CHANNEL) };
    default:
      throw new MessageError(`${CHANNEL}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}
